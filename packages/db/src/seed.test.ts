import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database.ts";
import { applyMigrations, findWorkspaceLayout } from "./migrations/index.ts";
import { demoTenantSlug, seedDatabase } from "./seed.ts";
import { testBackends, type TestDatabase } from "./testing/index.ts";

describe.each(testBackends())("seed on $name", (backend) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await backend.create();
    db = await openDatabase(testDb.options);
    await applyMigrations(db, findWorkspaceLayout(import.meta.dirname));
    // Seeding runs as the application, under row-level security.
    await db.enterAppRole();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  const counts = () =>
    db.withOwner(async (owner) => ({
      users: await owner.user.count(),
      tenants: await owner.tenant.count(),
      members: await owner.tenantMember.count(),
      plans: await owner.plan.count(),
      subscriptions: await owner.subscription.count(),
      content: await owner.platformContent.count(),
    }));

  it("creates a platform admin who owns the demo tenant on the pro plan, and content", async () => {
    await seedDatabase(db.prisma, { adminEmail: "Root@Example.TEST" });
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    expect(admin.platformRole).toBe("admin");
    const tenant = await db.withOwner((owner) =>
      owner.tenant.findUniqueOrThrow({
        where: { slug: demoTenantSlug },
        include: { members: true, subscription: { include: { plan: true } } },
      }),
    );
    expect(tenant.members).toEqual([expect.objectContaining({ userId: admin.id, role: "owner" })]);
    expect(tenant.subscription?.plan.code).toBe("pro");
    expect(await db.prisma.platformContent.count({ where: { key: "legal.terms" } })).toBeGreaterThan(0);
  });

  it("is idempotent and keeps what an operator changed", async () => {
    const before = await counts();
    await db.prisma.platformContent.update({
      where: { key_locale: { key: "legal.terms", locale: "en" } },
      data: { title: "Our own terms" },
    });
    await seedDatabase(db.prisma, { adminEmail: "root@example.test" });
    expect(await counts()).toEqual(before);
    const terms = await db.prisma.platformContent.findUniqueOrThrow({
      where: { key_locale: { key: "legal.terms", locale: "en" } },
    });
    expect(terms.title).toBe("Our own terms");
  });
});
