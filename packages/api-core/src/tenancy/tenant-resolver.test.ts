import { randomUUID } from "node:crypto";
import { openDatabase, withTenantScope, type Database, type DbClient } from "@tenantry/db";
import { testBackends, type TestDatabase } from "@tenantry/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTenantTransaction } from "./tenant-scope-middleware.ts";
import { TenantResolver } from "./tenant-resolver.ts";

/**
 * The tenant cache on a real database: bounded whatever names requests make up, "no such
 * tenant" remembered briefly, one lookup per cold key, and never a value from before a change
 * kept after it.
 */
describe.each(testBackends())("the tenant resolver on $name", (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  let lookups = 0;
  /** The real client, counting the raw queries the resolver's lookups make. */
  let counted: DbClient;
  const log = pino({ level: "silent" });

  async function newTenant() {
    const id = randomUUID();
    const slug = `r-${id.slice(0, 8)}`;
    await withTenantScope(db.prisma, { tenantId: id }, (tx) => tx.tenant.create({ data: { id, slug, name: slug } }));
    return { id, slug, status: "active" as const };
  }

  beforeAll(async () => {
    testDb = await backend.create();
    db = await openDatabase(testDb.options);
    await db.enterAppRole();
    counted = new Proxy(db.prisma, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== "$queryRaw" || typeof value !== "function") return value;
        return (...args: unknown[]) => {
          lookups += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it("asks the database once per name, for found and unknown names alike, until the entry expires", async () => {
    let clock = 1_000;
    const resolver = new TenantResolver({ db: counted, ttlMs: 60_000, negativeTtlMs: 5_000, now: () => clock });
    const tenant = await newTenant();
    lookups = 0;
    expect(await resolver.resolve({ header: tenant.slug })).toMatchObject({ id: tenant.id });
    expect(await resolver.resolve({ header: tenant.slug.toUpperCase() })).toMatchObject({ id: tenant.id });
    await expect(resolver.resolve({ header: "no-such-tenant" })).rejects.toMatchObject({ code: "TENANT_NOT_FOUND" });
    await expect(resolver.resolve({ header: "no-such-tenant" })).rejects.toMatchObject({ code: "TENANT_NOT_FOUND" });
    expect(lookups).toBe(2);
    clock += 5_001;
    await expect(resolver.resolve({ header: "no-such-tenant" })).rejects.toMatchObject({ code: "TENANT_NOT_FOUND" });
    await resolver.resolve({ header: tenant.slug });
    expect(lookups).toBe(3);
  });

  it("keeps at most maxEntries answers however many names requests make up", async () => {
    const resolver = new TenantResolver({ db: counted, maxEntries: 20 });
    for (let i = 0; i < 200; i++) {
      await expect(resolver.resolve({ header: `random-${i}-${randomUUID()}` })).rejects.toMatchObject({
        code: "TENANT_NOT_FOUND",
      });
      await expect(resolver.resolve({ host: `h${i}.example.com` })).resolves.toBeNull();
    }
    expect(resolver.size).toBeLessThanOrEqual(20);
  });

  it("makes one lookup for many concurrent requests naming a cold tenant", async () => {
    const resolver = new TenantResolver({ db: counted });
    const tenant = await newTenant();
    lookups = 0;
    const answers = await Promise.all(Array.from({ length: 25 }, () => resolver.resolve({ header: tenant.id })));
    expect(answers.every((a) => a?.id === tenant.id)).toBe(true);
    expect(lookups).toBe(1);
  });

  it("does not keep an answer that was being looked up when an invalidation came", async () => {
    const resolver = new TenantResolver({ db: counted });
    const tenant = await newTenant();
    const inFlight = resolver.resolve({ header: tenant.slug });
    resolver.invalidateTenant(tenant.id);
    await inFlight;
    lookups = 0;
    await resolver.resolve({ header: tenant.slug });
    expect(lookups).toBe(1);
  });

  // PGlite has one connection: a lookup from outside the transaction would wait for it to end,
  // so the in-between read this guards against can only happen on PostgreSQL.
  it.runIf(backend.name === "postgres")(
    "a slug changed in a transaction: a request resolving the old slug meanwhile cannot keep it cached after the commit",
    async () => {
      const resolver = new TenantResolver({ db: counted, ttlMs: 60_000 });
      const tenant = await newTenant();
      const renamed = `${tenant.slug}-new`;
      await inTenantTransaction(db.prisma, log, tenant, undefined, async (scoped) => {
        await scoped.tenantDb.tenant.update({ where: { id: tenant.id }, data: { slug: renamed } });
        scoped.afterCommit(() => resolver.invalidateTenant(tenant.id));
        // Another request, on another connection, still sees the committed (old) slug and caches it.
        expect(await resolver.resolve({ header: tenant.slug })).toMatchObject({ id: tenant.id });
      });
      await expect(resolver.resolve({ header: tenant.slug })).rejects.toMatchObject({ code: "TENANT_NOT_FOUND" });
      expect(await resolver.resolve({ header: renamed })).toMatchObject({ id: tenant.id });
    },
  );
});
