import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import type { RoleGate } from "./role-gate.ts";

/**
 * The application's adapter on PGlite, through the role gate: every query holds it shared for
 * its duration, every transaction from begin to commit or rollback.
 */
export function gatedAdapterFactory(factory: SqlDriverAdapterFactory, gate: RoleGate): SqlDriverAdapterFactory {
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: async () => gatedAdapter(await factory.connect(), gate),
  };
}

function gatedAdapter(adapter: SqlDriverAdapter, gate: RoleGate): SqlDriverAdapter {
  return {
    adapterName: adapter.adapterName,
    provider: adapter.provider,
    queryRaw: (query) => gate.withShared(() => adapter.queryRaw(query)),
    executeRaw: (query) => gate.withShared(() => adapter.executeRaw(query)),
    executeScript: (script) => gate.withShared(() => adapter.executeScript(script)),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel) {
      const release = await gate.acquireShared();
      let transaction: Transaction;
      try {
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      return {
        adapterName: transaction.adapterName,
        provider: transaction.provider,
        options: transaction.options,
        queryRaw: (query) => transaction.queryRaw(query),
        executeRaw: (query) => transaction.executeRaw(query),
        commit: () => transaction.commit().finally(release),
        rollback: () => transaction.rollback().finally(release),
        ...(transaction.createSavepoint ? { createSavepoint: (name: string) => transaction.createSavepoint!(name) } : {}),
        ...(transaction.rollbackToSavepoint
          ? { rollbackToSavepoint: (name: string) => transaction.rollbackToSavepoint!(name) }
          : {}),
        ...(transaction.releaseSavepoint ? { releaseSavepoint: (name: string) => transaction.releaseSavepoint!(name) } : {}),
      };
    },
  };
}
