import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends, type TestDatabase } from "../testing/index.ts";
import { recordQueries, type QueryRecord } from "../testing/query-recorder.ts";
import { foldScopeIntoBegin, scopeStatement } from "./scope-on-begin.ts";

const postgres = testBackends().find((b) => b.name === "postgres");

describe.runIf(postgres)("the tenant scope sent with BEGIN (PostgreSQL)", () => {
  let testDb: TestDatabase;
  let pool: pg.Pool;
  /** What went over the wire, in order (recorded below the fold). */
  const record: QueryRecord = { texts: [], overlapping: 0 };

  beforeAll(async () => {
    testDb = await postgres!.create({ empty: true });
    pool = new pg.Pool({ connectionString: testDb.options.url, max: 1 });
    pool.on("connect", (client) => {
      recordQueries(client, record);
      foldScopeIntoBegin(client);
    });
  });
  afterAll(async () => {
    await pool?.end();
    await testDb?.drop();
  });

  // As Prisma's adapter sends them: unnamed, values always given, rows as arrays.
  const adapterQuery = (client: pg.PoolClient, text: string, values: unknown[] = []) =>
    client.query({ text, values, rowMode: "array" } as pg.QueryConfig);
  const settings = async (client: pg.PoolClient) =>
    (await client.query("select current_setting('app.tenant_id', true) t, current_setting('app.user_id', true) u")).rows[0];

  async function withClient(work: (client: pg.PoolClient) => Promise<void>) {
    const client = await pool.connect();
    record.texts = [];
    try {
      await work(client);
    } finally {
      client.release();
    }
  }

  it("sends BEGIN and an id-shaped scope as one message, transaction-local, answering as the scope would", () =>
    withClient(async (client) => {
      const [tenant, user] = [randomUUID(), randomUUID()];
      await adapterQuery(client, "BEGIN");
      expect(record.texts).toEqual([]);
      const answer = await adapterQuery(client, scopeStatement, [tenant, user]);
      expect(answer.rows).toEqual([[tenant, user]]);
      expect(record.texts).toEqual([`BEGIN; ${scopeStatement.replace("$1", `'${tenant}'`).replace("$2", `'${user}'`)}`]);
      expect(await settings(client)).toEqual({ t: tenant, u: user });
      await adapterQuery(client, "COMMIT");
      expect((await settings(client)).t ?? "").toBe("");
    }));

  it("sends a real BEGIN first for anything else, hostile scope values included (which go as parameters)", () =>
    withClient(async (client) => {
      await adapterQuery(client, "BEGIN");
      await adapterQuery(client, "select 1");
      await adapterQuery(client, "ROLLBACK");
      const hostile = "'); select pg_sleep(10); --";
      await adapterQuery(client, "BEGIN");
      await adapterQuery(client, scopeStatement, [hostile, ""]);
      expect(await settings(client)).toEqual({ t: hostile, u: "" });
      await adapterQuery(client, "ROLLBACK");
      expect(record.texts).toEqual(["BEGIN", "select 1", "ROLLBACK", "BEGIN", scopeStatement, expect.any(String), "ROLLBACK"]);
    }));

  it("lets nothing come between the held BEGIN and the statement it was held for (a ROLLBACK on timeout)", () =>
    withClient(async (client) => {
      await adapterQuery(client, "BEGIN");
      const statement = adapterQuery(client, "select 1");
      const rollback = adapterQuery(client, "ROLLBACK");
      await Promise.all([statement, rollback]);
      expect(record.texts).toEqual(["BEGIN", "select 1", "ROLLBACK"]);
    }));

  it("never opens a transaction that runs nothing", () =>
    withClient(async (client) => {
      await adapterQuery(client, "BEGIN");
      await adapterQuery(client, "COMMIT");
      await adapterQuery(client, "BEGIN");
      await adapterQuery(client, "ROLLBACK");
      expect(record.texts).toEqual([]);
    }));
});
