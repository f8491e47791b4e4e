import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/** Told how long each statement took, in seconds, and whether it failed. */
export type QueryTimer = (seconds: number, failed: boolean) => void;

async function timed<T>(onQuery: QueryTimer, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let failed = true;
  try {
    const result = await run();
    failed = false;
    return result;
  } finally {
    onQuery((performance.now() - started) / 1000, failed);
  }
}

/**
 * The application's adapter with every statement timed (in and out of transactions), for the
 * query-duration metric. Begin, commit and rollback are statements of their own and not timed.
 */
export function timedAdapterFactory(factory: SqlDriverAdapterFactory, onQuery: QueryTimer): SqlDriverAdapterFactory {
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: async () => timedAdapter(await factory.connect(), onQuery),
  };
}

function timedTransaction(transaction: Transaction, onQuery: QueryTimer): Transaction {
  return {
    adapterName: transaction.adapterName,
    provider: transaction.provider,
    options: transaction.options,
    queryRaw: (query) => timed(onQuery, () => transaction.queryRaw(query)),
    executeRaw: (query) => timed(onQuery, () => transaction.executeRaw(query)),
    commit: () => transaction.commit(),
    rollback: () => transaction.rollback(),
    ...(transaction.createSavepoint ? { createSavepoint: (name: string) => transaction.createSavepoint!(name) } : {}),
    ...(transaction.rollbackToSavepoint ? { rollbackToSavepoint: (name: string) => transaction.rollbackToSavepoint!(name) } : {}),
    ...(transaction.releaseSavepoint ? { releaseSavepoint: (name: string) => transaction.releaseSavepoint!(name) } : {}),
  };
}

function timedAdapter(adapter: SqlDriverAdapter, onQuery: QueryTimer): SqlDriverAdapter {
  return {
    adapterName: adapter.adapterName,
    provider: adapter.provider,
    queryRaw: (query) => timed(onQuery, () => adapter.queryRaw(query)),
    executeRaw: (query) => timed(onQuery, () => adapter.executeRaw(query)),
    executeScript: (script) => adapter.executeScript(script),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
    startTransaction: async (isolationLevel) => timedTransaction(await adapter.startTransaction(isolationLevel), onQuery),
  };
}
