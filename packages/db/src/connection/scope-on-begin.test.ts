import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends, type TestDatabase } from "../testing/index.ts";
import { beginWithScope, foldScopeIntoBegin, scopeStatement, type PendingScope } from "./scope-on-begin.ts";

const postgres = testBackends().find((b) => b.name === "postgres");

describe("scopeStatement", () => {
  it("folds ids and nothing else: anything not shaped like a uuid is set with parameters instead", () => {
    const tenant = randomUUID();
    expect(scopeStatement(tenant, "")).toBe(
      `SELECT set_config('app.tenant_id', '${tenant}', true), set_config('app.user_id', '', true)`,
    );
    expect(scopeStatement("", tenant)).toContain(`set_config('app.user_id', '${tenant}', true)`);
    for (const hostile of ["x'); drop table users; --", `${tenant}'`, "demo", " "]) {
      expect(scopeStatement(hostile, "")).toBeUndefined();
      expect(scopeStatement(tenant, hostile)).toBeUndefined();
    }
  });
});

describe.runIf(postgres)("the scope sent with BEGIN (PostgreSQL)", () => {
  let testDb: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    testDb = await postgres!.create({ empty: true });
    pool = new pg.Pool({ connectionString: testDb.options.url, max: 1 });
    pool.on("connect", foldScopeIntoBegin);
  });
  afterAll(async () => {
    await pool?.end();
    await testDb?.drop();
  });

  const settings = async (client: pg.PoolClient) =>
    (
      await client.query<{ t: string; u: string }>(
        "select current_setting('app.tenant_id', true) t, current_setting('app.user_id', true) u",
      )
    ).rows[0];
  const pendingFor = (tenantId: string, userId = ""): PendingScope => ({
    sql: scopeStatement(tenantId, userId)!,
    applied: false,
    closed: false,
  });

  it("rides on the first parameterless BEGIN of its context, transaction-local, and only once", async () => {
    const client = await pool.connect();
    try {
      const tenant = randomUUID();
      const user = randomUUID();
      const scope = pendingFor(tenant, user);
      await beginWithScope(scope, async () => {
        await client.query({ text: "BEGIN", values: [] });
        expect(scope.applied).toBe(true);
        expect(await settings(client)).toEqual({ t: tenant, u: user });
        await client.query("COMMIT");
        // A second transaction in the same context does not get the scope again.
        await client.query({ text: "BEGIN", values: [] });
        expect((await settings(client))?.t ?? "").toBe("");
        await client.query("COMMIT");
      });
    } finally {
      client.release();
    }
  });

  it("leaves BEGINs alone outside a pending scope, once the scope is closed, and with parameters", async () => {
    const client = await pool.connect();
    try {
      const closed = { ...pendingFor(randomUUID()), closed: true };
      await beginWithScope(closed, () => client.query({ text: "BEGIN", values: [] }));
      expect(closed.applied).toBe(false);
      expect((await settings(client))?.t ?? "").toBe("");
      await client.query("ROLLBACK");

      await client.query({ text: "BEGIN", values: [] });
      expect((await settings(client))?.t ?? "").toBe("");
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
  });
});
