import type pg from "pg";

/** What a connection's `pg` client was handed: the statements in order, and how many overlapped. */
export interface QueryRecord {
  texts: string[];
  /** Statements handed over while another of the same connection was still running. */
  overlapping: number;
}

/**
 * Records what reaches `client.query` from now on; wrappers installed after this one (the
 * connection's own, under test) sit above it, so it sees what they hand to `pg`.
 */
export function recordQueries(client: pg.PoolClient, record: QueryRecord): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let running = 0;
  (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
    record.texts.push(typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text);
    if (running > 0) record.overlapping += 1;
    running += 1;
    const settled = () => (running -= 1);
    const result = query(...args);
    // pool.query passes a callback and gets no promise back; it runs alone anyway.
    if (result instanceof Promise) result.then(settled, settled);
    else settled();
    return result;
  };
}
