import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/** Runs a whole SQL script in one round trip and resolves only when the database is done. */
export type ScriptRunner = (adapter: SqlDriverAdapter, script: string) => Promise<void>;

/**
 * The schema engine applies a migration with `executeScript`. Both stock adapters get that
 * wrong for migrations: adapter-pg splits the script on `;` (breaking `DO $$ … $$` blocks and
 * function bodies) and the PGlite adapter does not await it (so a failing migration is
 * recorded as applied). This wraps a factory so every adapter it hands out runs scripts whole,
 * through the simple query protocol, in the implicit transaction PostgreSQL gives a
 * multi-statement query (a failing script leaves nothing behind), and reports the database's
 * error through the adapter's own error conversion.
 */
export function withWholeScripts(
  factory: SqlMigrationAwareDriverAdapterFactory,
  runScript: ScriptRunner,
): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const convertError = (adapter as { onError?: (error: unknown) => never }).onError?.bind(adapter);
    adapter.executeScript = async (script: string) => {
      try {
        await runScript(adapter, script);
      } catch (error) {
        if (convertError) convertError(error);
        throw error;
      }
    };
    return adapter;
  };
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}
