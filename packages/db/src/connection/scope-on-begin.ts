import type pg from "pg";

/**
 * The statement that scopes a transaction to a tenant (and user): the row-level-security
 * policies read these settings. `withTenantScope` sends it first in every tenant transaction.
 */
export const scopeStatement = "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)";

const uuidOrNothing = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i;

interface QueryConfig {
  text?: unknown;
  values?: unknown[];
  name?: unknown;
}

type Query = (config: unknown, ...rest: unknown[]) => Promise<unknown>;

/**
 * Sends a tenant transaction's `BEGIN` and its scope in one round trip instead of two. The
 * `BEGIN` Prisma's adapter issues is held back (answered at once) and sent with the statement
 * that follows it: when that is the scope with id-shaped values, both go as one simple-protocol
 * message, `BEGIN; select set_config(…)`, the values inlined as literals (a uuid cannot carry
 * SQL); any other statement gets the real `BEGIN` first, as before. A transaction that ends
 * before running anything never began, so its `COMMIT` or `ROLLBACK` is answered the same way.
 *
 * The state is per connection; a pooled connection serves one transaction at a time.
 */
export function foldScopeIntoBegin(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  let beginHeld = false;
  (client as unknown as { query: Query }).query = async (config: unknown, ...rest: unknown[]) => {
    const bare = rest.length === 0 && isBare(config);
    if (!beginHeld && bare && config.text === "BEGIN") {
      beginHeld = true;
      return answered("BEGIN");
    }
    if (beginHeld) {
      beginHeld = false;
      if (bare && (config.text === "COMMIT" || config.text === "ROLLBACK")) return answered(config.text);
      if (rest.length === 0 && isIdScope(config)) {
        const [tenantId, userId] = config.values as [string, string];
        const literal = scopeStatement.replace("$1", `'${tenantId}'`).replace("$2", `'${userId}'`);
        const results = (await query({ ...config, values: undefined, text: `BEGIN; ${literal}` })) as unknown[];
        return results[results.length - 1];
      }
      // Both handed over at once, in order, so nothing the transaction's owner sends meanwhile
      // (a ROLLBACK on timeout) can come between them.
      const [, answer] = await Promise.all([query("BEGIN"), query(config, ...rest)]);
      return answer;
    }
    return query(config, ...rest);
  };
}

const answered = (command: string) => ({ command, rowCount: 0, rows: [], fields: [] });

/** An unnamed statement without parameters, as the adapter sends BEGIN, COMMIT and ROLLBACK. */
function isBare(config: unknown): config is QueryConfig & { text: string } {
  if (typeof config !== "object" || config === null) return false;
  const { text, values, name } = config as QueryConfig;
  return typeof text === "string" && !name && (values === undefined || values.length === 0);
}

function isIdScope(config: unknown): config is QueryConfig {
  if (typeof config !== "object" || config === null) return false;
  const { text, values, name } = config as QueryConfig;
  return (
    text === scopeStatement &&
    !name &&
    values?.length === 2 &&
    values.every((value) => typeof value === "string" && uuidOrNothing.test(value))
  );
}
