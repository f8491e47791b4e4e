import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends, type TestDatabase } from "../testing/index.ts";
import { recordQueries, type QueryRecord } from "../testing/query-recorder.ts";
import { oneQueryAtATime } from "./one-query-at-a-time.ts";

const postgres = testBackends().find((b) => b.name === "postgres");

describe.runIf(postgres)("one query at a time per connection (PostgreSQL)", () => {
  let testDb: TestDatabase;
  let pool: pg.Pool;
  /** What `pg` itself was handed. */
  const record: QueryRecord = { texts: [], overlapping: 0 };

  beforeAll(async () => {
    testDb = await postgres!.create({ empty: true });
    pool = new pg.Pool({ connectionString: testDb.options.url, max: 1 });
    pool.on("connect", (client) => {
      recordQueries(client, record);
      oneQueryAtATime(client);
    });
  });
  afterAll(async () => {
    await pool?.end();
    await testDb?.drop();
  });

  it("hands a transaction's concurrent queries over one by one, in order, each with its own answer", async () => {
    const client = await pool.connect();
    try {
      Object.assign(record, { texts: [], overlapping: 0 });
      await client.query("BEGIN");
      const answers = await Promise.all(
        [3, 1, 2].map((n) => client.query({ text: `select $1::int as n, pg_sleep(${n} / 100.0)`, values: [n] })),
      );
      expect(answers.map((a) => a.rows[0].n)).toEqual([3, 1, 2]);
      await client.query("COMMIT");
      expect(record.overlapping).toBe(0);
      expect(record.texts).toEqual([
        "BEGIN",
        "select $1::int as n, pg_sleep(3 / 100.0)",
        "select $1::int as n, pg_sleep(1 / 100.0)",
        "select $1::int as n, pg_sleep(2 / 100.0)",
        "COMMIT",
      ]);
    } finally {
      client.release();
    }
  });

  it("goes on after a query fails, and the failure reaches its caller only", async () => {
    const client = await pool.connect();
    try {
      const [failed, next] = await Promise.allSettled([client.query("select 1/0"), client.query("select 2 as n")]);
      expect(failed).toMatchObject({ status: "rejected", reason: { code: "22012" } });
      expect(next).toMatchObject({ status: "fulfilled", value: { rows: [{ n: 2 }] } });
    } finally {
      client.release();
    }
    // pool.query (a callback, not queued) on the same, now idle, connection.
    expect((await pool.query("select 3 as n")).rows).toEqual([{ n: 3 }]);
  });
});
