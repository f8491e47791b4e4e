import type pg from "pg";

type Query = (config: unknown, ...rest: unknown[]) => unknown;

/**
 * Starts a connection's next query only once the one before it has settled. Prisma's query
 * interpreter runs independent reads of one request at once (`Promise.all`), inside an
 * interactive transaction too, where they all go to its one connection; `pg` queues them itself
 * today, with a DeprecationWarning in every process that does so, and pg 9 drops that queue.
 * Queued here, the queries reach the connection in the same order, one at a time, as before.
 *
 * Only promise-style calls are queued: a call with a callback, or a query object that submits
 * itself, is pg-pool's own `pool.query` on a connection it checked out for that one query.
 */
export function oneQueryAtATime(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  let previous: Promise<unknown> = Promise.resolve();
  (client as unknown as { query: Query }).query = (config: unknown, ...rest: unknown[]) => {
    if (typeof rest.at(-1) === "function" || typeof (config as { submit?: unknown } | null)?.submit === "function") {
      return query(config, ...rest);
    }
    const result = previous.then(() => query(config, ...rest));
    previous = result.catch(() => {});
    return result;
  };
}
