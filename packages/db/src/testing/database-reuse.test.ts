import pg from "pg";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../database.ts";
import { testBackends, type TestDatabase } from "./test-databases.ts";

/** Plain SQL on a test database with the owner's rights, whichever backend. */
async function sql<Row>(database: TestDatabase, text: string): Promise<Row[]> {
  const { pglite, url } = database.options;
  if (pglite) return (await pglite.query<Row>(text)).rows;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row & pg.QueryResultRow>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Which database this is: the PostgreSQL database's name, or the PGlite instance itself. */
const identity = (database: TestDatabase) => database.options.url ?? database.options.pglite;

describe.each(testBackends())("test databases handed back on $name", (backend) => {
  it("come back empty and still migrated, with nothing of the last user's session", async () => {
    const first = await backend.create();
    const db = await openDatabase(first.options);
    await db.withOwner((owner) => owner.plan.create({ data: { code: "reuse-check", name: "Reuse check" } }));
    await db.close();
    if (first.options.pglite) await first.options.pglite.exec("SET ROLE tenantry_app");
    await first.drop();

    const second = await backend.create();
    try {
      expect(identity(second)).toBe(identity(first));
      expect(await sql(second, "select code from plans")).toEqual([]);
      const [applied] = await sql<{ n: number }>(second, "select count(*)::int as n from _prisma_migrations");
      expect(applied?.n).toBeGreaterThan(0);
      expect(await sql(second, "select current_user as role")).toEqual([{ role: "postgres" }]);
    } finally {
      await second.drop();
    }
  });

  it("are not reused once a test changed the schema", async () => {
    const altered = await backend.create();
    await sql(altered, "create table left_behind (id int)");
    await altered.drop();

    const next = await backend.create();
    try {
      expect(identity(next)).not.toBe(identity(altered));
      expect(await sql(next, "select to_regclass('left_behind') as found")).toEqual([{ found: null }]);
    } finally {
      await next.drop();
    }
  });
});

const postgres = testBackends().find((backend) => backend.name === "postgres");

describe.runIf(postgres)("test databases handed back on PostgreSQL while someone is still connected", () => {
  it("are not reused, and are dropped", async () => {
    const busy = await postgres!.create();
    const lingering = new pg.Client({ connectionString: busy.options.url });
    lingering.on("error", () => {});
    await lingering.connect();
    await busy.drop();
    await expect(lingering.query("select 1")).rejects.toThrow();
    await lingering.end().catch(() => {});

    const next = await postgres!.create();
    try {
      expect(identity(next)).not.toBe(identity(busy));
    } finally {
      await next.drop();
    }
  });
});
