import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database.ts";
import { applyMigrations, findWorkspaceLayout } from "./migrations/index.ts";
import { findTenantByReference } from "./tenant-lookup.ts";
import { withTenantScope, withUserScope } from "./tenant-scope.ts";
import { testBackends, type TestDatabase } from "./testing/index.ts";

describe.each(testBackends())("row-level security on $name", (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let userA: string;

  beforeAll(async () => {
    testDb = await backend.create();
    db = await openDatabase(testDb.options);
    await applyMigrations(db, findWorkspaceLayout(import.meta.dirname));
    await db.enterAppRole();
    const user = await db.prisma.user.create({ data: { email: `a-${randomUUID()}@example.com` } });
    userA = user.id;
    for (const [id, slug] of [
      [tenantA, "tenant-a"],
      [tenantB, "tenant-b"],
    ] as const) {
      await withTenantScope(db.prisma, { tenantId: id }, async (tx) => {
        await tx.tenant.create({ data: { id, slug, name: slug } });
        await tx.tenantDomain.create({ data: { tenantId: id, domain: `${slug}.example.com`, verificationToken: "t" } });
      });
    }
    await withTenantScope(db.prisma, { tenantId: tenantA }, (tx) =>
      tx.tenantMember.create({ data: { tenantId: tenantA, userId: userA, role: "owner" } }),
    );
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it("shows no tenant rows to a query without the tenant setting", async () => {
    expect(await db.prisma.tenant.findMany()).toEqual([]);
    expect(await db.prisma.tenantDomain.findMany()).toEqual([]);
    expect(await db.prisma.tenantMember.findMany()).toEqual([]);
    // …while the rows are there.
    expect(await db.withOwner((owner) => owner.tenantDomain.count())).toBe(2);
  });

  it("never lets an application query run with the owner's rights while owner work is in progress", async () => {
    let ownerWorking!: () => void;
    const started = new Promise<void>((resolve) => (ownerWorking = resolve));
    const ownerWork = db.withOwner(async (owner) => {
      await owner.$queryRaw`select 1`;
      ownerWorking();
      // Owner work that takes a while (a migration, maintenance) while requests keep coming.
      await new Promise((resolve) => setTimeout(resolve, 150));
      return owner.tenantDomain.count();
    });
    await started;
    const [role, unscoped, scoped] = await Promise.all([
      db.prisma.$queryRaw<Array<{ role: string }>>`select current_user as role`,
      db.prisma.tenantDomain.findMany(),
      withTenantScope(db.prisma, { tenantId: tenantA }, (tx) => tx.tenantDomain.findMany()),
    ]);
    expect(role[0]?.role).toBe("tenantry_app");
    expect(unscoped).toEqual([]);
    expect(scoped.map((d) => d.tenantId)).toEqual([tenantA]);
    expect(await ownerWork).toBe(2);
  });

  it("shows only the scoped tenant's rows inside a scope", async () => {
    const seen = await withTenantScope(db.prisma, { tenantId: tenantA }, async (tx) => ({
      tenants: (await tx.tenant.findMany()).map((t) => t.id),
      domains: (await tx.tenantDomain.findMany()).map((d) => d.domain),
    }));
    expect(seen).toEqual({ tenants: [tenantA], domains: ["tenant-a.example.com"] });
  });

  it("refuses writes into another tenant from inside a scope", async () => {
    const write = withTenantScope(db.prisma, { tenantId: tenantA }, (tx) =>
      tx.tenantDomain.create({ data: { tenantId: tenantB, domain: "sneaky.example.com", verificationToken: "t" } }),
    );
    await expect(write).rejects.toThrow();
    const update = await withTenantScope(db.prisma, { tenantId: tenantA }, (tx) =>
      tx.tenantDomain.updateMany({ where: { tenantId: tenantB }, data: { verifiedAt: new Date() } }),
    );
    expect(update.count).toBe(0);
  });

  it("lets a user see their own memberships outside any tenant, and never inside another", async () => {
    const own = await withUserScope(db.prisma, userA, (tx) => tx.tenantMember.findMany({ include: { tenant: true } }));
    expect(own.map((m) => m.tenant.slug)).toEqual(["tenant-a"]);
    // Inside tenant B the user's membership in A must not leak into B's queries.
    const insideB = await withTenantScope(db.prisma, { tenantId: tenantB, userId: userA }, (tx) => tx.tenantMember.findMany());
    expect(insideB).toEqual([]);
  });

  it("resolves tenants before a scope exists only through the lookup functions", async () => {
    expect((await findTenantByReference(db.prisma, "tenant-b"))?.id).toBe(tenantB);
    expect((await findTenantByReference(db.prisma, tenantA))?.slug).toBe("tenant-a");
    expect(await findTenantByReference(db.prisma, "nope")).toBeNull();
  });

  it("runs the application as a role that owns nothing and cannot switch row security off", async () => {
    const [who] = await db.prisma.$queryRawUnsafe<Array<{ role: string; bypass: boolean; owns: number }>>(
      `select current_user as role,
              (select rolbypassrls or rolsuper from pg_roles where rolname = current_user) as bypass,
              (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = current_user) as owns`,
    );
    expect(who).toEqual({ role: "tenantry_app", bypass: false, owns: 0 });
    await expect(db.prisma.$executeRawUnsafe("delete from _prisma_migrations")).rejects.toThrow(/permission denied/);
  });

  it("protects every table with a tenant_id column (core and module tables alike)", async () => {
    const tables = await db.prisma.$queryRawUnsafe<
      Array<{ table: string; enabled: boolean; forced: boolean; policies: string[] }>
    >(
      `select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
              coalesce(array(select polname::text from pg_policy p where p.polrelid = c.oid order by polname), '{}') as policies
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
        order by 1`,
    );
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(["notifications", "tenant_members", "tenant_modules"]));
    const unprotected = tables
      .filter((t) => !t.enabled || !t.forced || !t.policies.includes("tenant_isolation"))
      .map((t) => `${t.table}: enabled=${t.enabled} forced=${t.forced} policies=${t.policies.join(",")}`);
    expect(unprotected).toEqual([]);
  });

  // With a superuser login (development, PGlite) the session could still `SET ROLE` back; a
  // production login that is only a member of tenantry_app cannot. Shown on PostgreSQL.
  if (backend.name === "postgres")
    it("with a login that is only a tenantry_app member, cannot become anyone else", async () => {
      const login = `tenantry_login_${randomUUID().slice(0, 8)}`;
      await db.withOwner((owner) => owner.$executeRawUnsafe(`CREATE ROLE ${login} LOGIN IN ROLE tenantry_app`));
      const url = new URL(testDb.options.url!);
      url.username = login;
      const appOnly = await openDatabase({ ...testDb.options, url: url.toString() });
      try {
        expect(await appOnly.prisma.tenant.findMany()).toEqual([]);
        await expect(appOnly.prisma.$executeRawUnsafe("SET ROLE postgres")).rejects.toThrow(/permission denied/);
        await expect(appOnly.prisma.$executeRawUnsafe("SET row_security = off; select * from tenants")).rejects.toThrow();
      } finally {
        await appOnly.close();
        await db.withOwner((owner) => owner.$executeRawUnsafe(`DROP ROLE ${login}`));
      }
    });
});
