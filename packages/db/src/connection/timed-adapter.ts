import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Told of each statement as it starts (its SQL, parameterised: no values in it); the function
 * it returns is called when the statement has finished, saying whether it failed.
 */
export type QueryObserver = (sql: string) => (failed: boolean) => void;

async function timed<T>(onQuery: QueryObserver, query: { sql: string }, run: () => Promise<T>): Promise<T> {
  const finished = onQuery(query.sql);
  let failed = true;
  try {
    const result = await run();
    failed = false;
    return result;
  } finally {
    finished(failed);
  }
}

/**
 * The application's adapter with every statement observed (in and out of transactions): the
 * query-duration metric and the database spans of a trace. Begin, commit and rollback are statements of their own and not timed.
 */
export function timedAdapterFactory(factory: SqlDriverAdapterFactory, onQuery: QueryObserver): SqlDriverAdapterFactory {
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: async () => timedAdapter(await factory.connect(), onQuery),
  };
}

function timedTransaction(transaction: Transaction, onQuery: QueryObserver): Transaction {
  return {
    adapterName: transaction.adapterName,
    provider: transaction.provider,
    options: transaction.options,
    queryRaw: (query) => timed(onQuery, query, () => transaction.queryRaw(query)),
    executeRaw: (query) => timed(onQuery, query, () => transaction.executeRaw(query)),
    commit: () => transaction.commit(),
    rollback: () => transaction.rollback(),
    ...(transaction.createSavepoint ? { createSavepoint: (name: string) => transaction.createSavepoint!(name) } : {}),
    ...(transaction.rollbackToSavepoint ? { rollbackToSavepoint: (name: string) => transaction.rollbackToSavepoint!(name) } : {}),
    ...(transaction.releaseSavepoint ? { releaseSavepoint: (name: string) => transaction.releaseSavepoint!(name) } : {}),
  };
}

function timedAdapter(adapter: SqlDriverAdapter, onQuery: QueryObserver): SqlDriverAdapter {
  return {
    adapterName: adapter.adapterName,
    provider: adapter.provider,
    queryRaw: (query) => timed(onQuery, query, () => adapter.queryRaw(query)),
    executeRaw: (query) => timed(onQuery, query, () => adapter.executeRaw(query)),
    executeScript: (script) => adapter.executeScript(script),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
    startTransaction: async (isolationLevel) => timedTransaction(await adapter.startTransaction(isolationLevel), onQuery),
  };
}
