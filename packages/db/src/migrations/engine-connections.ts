import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * The schema engine never disposes of the connections it opens, and freeing it does not
 * either. On PostgreSQL its pool then stayed open until `pg`'s idle timeout (10 s), still
 * holding the advisory lock the engine takes to apply migrations, so any other process that
 * came to migrate waited on it, and the engine's own wait gives up after 10 s. This hands the
 * engine a factory that remembers what it connected, for `closeAll()` once the engine is done.
 * (The shadow databases of `diff` are left alone: the engine disposes of those itself.)
 */
export function closableConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const open = new Set<SqlDriverAdapter>();
  return {
    factory: {
      adapterName: factory.adapterName,
      provider: factory.provider,
      connect: async () => {
        const adapter = await factory.connect();
        open.add(adapter);
        return adapter;
      },
      connectToShadowDb: () => factory.connectToShadowDb(),
    } satisfies SqlMigrationAwareDriverAdapterFactory,
    async closeAll() {
      const adapters = [...open];
      open.clear();
      await Promise.all(adapters.map((adapter) => adapter.dispose()));
    },
  };
}
