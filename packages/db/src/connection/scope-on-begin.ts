import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";

/**
 * The tenant settings of a transaction about to begin, to be sent with its `BEGIN` in one round
 * trip (`BEGIN; SELECT set_config(…)`) instead of in a statement of their own. Every tenant
 * request opens such a transaction, so this is one round trip less per request.
 *
 * Only for `pg` connections (the embedded database has no network to save); whoever asks for
 * it checks `applied` and sets the scope itself when the fold did not happen.
 */
export interface PendingScope {
  readonly sql: string;
  /** The `BEGIN` carried the settings. */
  applied: boolean;
  /** The transaction has begun (with or without them): later `BEGIN`s must not take them. */
  closed: boolean;
}

const pending = new AsyncLocalStorage<PendingScope>();

const uuidOrNothing = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i;

/**
 * The settings as literals. The simple query protocol takes no parameters, so only values of a
 * shape that cannot carry SQL (a uuid, or nothing) are folded; anything else returns undefined
 * and the caller sets the scope with a parameterised statement.
 */
export function scopeStatement(tenantId: string, userId: string): string | undefined {
  if (!uuidOrNothing.test(tenantId) || !uuidOrNothing.test(userId)) return undefined;
  return `SELECT set_config('app.tenant_id', '${tenantId}', true), set_config('app.user_id', '${userId}', true)`;
}

/** Runs `begin` (which starts one transaction) with `scope` waiting for its `BEGIN`. */
export function beginWithScope<T>(scope: PendingScope, begin: () => Promise<T>): Promise<T> {
  return pending.run(scope, begin);
}

/**
 * Makes `client` send a waiting scope with the `BEGIN` that Prisma's adapter issues. That
 * `BEGIN` goes without parameters, so `pg` uses the simple protocol, which accepts several
 * statements; the adapter only reads its row count.
 */
export function foldScopeIntoBegin(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    const scope = pending.getStore();
    if (scope && !scope.applied && !scope.closed && isBareBegin(config)) {
      scope.applied = true;
      return query({ ...config, text: `BEGIN; ${scope.sql}` }, ...rest);
    }
    return query(config, ...rest);
  };
}

function isBareBegin(config: unknown): config is { text: string; values?: unknown[] } {
  if (typeof config !== "object" || config === null) return false;
  const { text, values, name } = config as { text?: unknown; values?: unknown[]; name?: unknown };
  return text === "BEGIN" && !name && (values === undefined || values.length === 0);
}
