/**
 * What tenant scoping costs per request: the same read of a tenant's rows, unscoped (as the
 * owner, past row-level security) and scoped (one transaction setting app.tenant_id, read as
 * the application role under RLS), plus the tenant resolver with and without its cache.
 *   pnpm bench:tenant-scope                       (embedded PGlite)
 *   DATABASE_URL=postgresql://… pnpm bench:tenant-scope
 * Figures only.
 */
import { randomUUID } from "node:crypto";
import { TenantResolver } from "@tenantry/api-core";
import { openDatabase, withTenantScope } from "@tenantry/db";
import { testBackends } from "@tenantry/db/testing";
import { measure } from "./support/measure.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 500);
const backend = testBackends().find((b) => b.name === (process.env.DATABASE_URL ? "postgres" : "pglite"))!;
const testDb = await backend.create();
const db = await openDatabase(testDb.options);

try {
  // Benchmark databases start migrated, like test databases.
  await db.enterAppRole();
  const tenantIds = Array.from({ length: 20 }, () => randomUUID());
  for (const [n, tenantId] of tenantIds.entries()) {
    await withTenantScope(db.prisma, { tenantId }, async (tx) => {
      await tx.tenant.create({ data: { id: tenantId, slug: `bench-${n}-${tenantId.slice(0, 6)}`, name: `Bench ${n}` } });
      for (let d = 0; d < 10; d++) {
        await tx.tenantDomain.create({
          data: { tenantId, domain: `d${d}.t${n}.${tenantId.slice(0, 8)}.example.com`, verificationToken: "x" },
        });
      }
    });
  }
  const tenantId = tenantIds[7]!;
  console.log(`database: ${db.kind}, ${tenantIds.length} tenants × 10 domains, ${rounds} rounds`);

  const unscoped = await db.withOwner((owner) =>
    measure("unscoped read (owner, WHERE tenant_id = …)", rounds, () => owner.tenantDomain.findMany({ where: { tenantId } })),
  );
  const scoped = await measure("scoped read (transaction + set_config + RLS)", rounds, () =>
    withTenantScope(db.prisma, { tenantId }, (tx) => tx.tenantDomain.findMany()),
  );
  const scopedThree = await measure("scoped, three reads in the one transaction", rounds, () =>
    withTenantScope(db.prisma, { tenantId }, async (tx) => {
      await tx.tenantDomain.findMany();
      await tx.tenantMember.findMany();
      await tx.subscription.findMany();
    }),
  );
  console.log(`scoping overhead per request: ~${((scoped - unscoped) * 1000).toFixed(0)} µs (median difference)`);
  console.log(`each further read in the same scope: ~${(((scopedThree - scoped) / 2) * 1000).toFixed(0)} µs`);

  const cold = new TenantResolver({ db: db.prisma, ttlMs: 0, negativeTtlMs: 0 });
  const warm = new TenantResolver({ db: db.prisma });
  const slug = `bench-7-${tenantId.slice(0, 6)}`;
  await measure("resolve X-Tenant, no cache (database lookup)", rounds, () => cold.resolve({ header: slug }));
  await measure("resolve X-Tenant, cached (steady state)", rounds, () => warm.resolve({ header: slug }));
} finally {
  await db.close();
  await testDb.drop();
}
