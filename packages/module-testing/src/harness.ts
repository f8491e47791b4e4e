import { randomBytes, randomUUID } from "node:crypto";
import {
  createCallerFactory,
  createContextFactory,
  inTenantTransaction,
  TenantFactsCache,
  type Context,
  type MemberRole,
} from "@tenantry/api-core";
import { createAccessTokens } from "@tenantry/auth";
import { openDatabase, seedDatabase, withTenantScope, type Database } from "@tenantry/db";
import { testBackends, type TestBackend, type TestDatabase } from "@tenantry/db/testing";
import type { AnyRouter } from "@trpc/server";
import pino from "pino";
import { disableModule, enableModule, syncModuleRegistry } from "@tenantry/module-runtime";
import type { AnyModuleDefinition } from "@tenantry/module-sdk";
import { harnessDependencies } from "./harness-dependencies.ts";

/**
 * A module under test on a real database: migrated, the module registered, one tenant on a
 * plan that allows it, and callers of the module's router as an owner, an admin, a member, a
 * customer (signed in, not a member) or an anonymous visitor. Calls go through the same
 * procedure builders, tenant transaction and row-level security as over HTTP; only the
 * transport is skipped.
 */

type CallerOf<TRouter extends AnyRouter> = ReturnType<TRouter["createCaller"]>;

export interface ModuleTestHarness<M extends AnyModuleDefinition> {
  tenant: { id: string; slug: string };
  /** The tenant's owner, who created it. */
  owner: CallerOf<M["router"]>;
  /** A new account with `role` in the tenant. */
  member(role: MemberRole): Promise<CallerOf<M["router"]>>;
  /** A new signed-in account that is not a member: a customer. */
  customer(): Promise<{ userId: string; caller: CallerOf<M["router"]> }>;
  /** No sign-in. */
  visitor(): CallerOf<M["router"]>;
  /** The lifecycle as the owner uses it (`modules.enable` / `modules.disable`). */
  enable(moduleId?: string, settings?: Record<string, unknown>): Promise<void>;
  disable(moduleId?: string): Promise<void>;
  /** Moves the tenant to another plan (seeded: free, pro, business; `harness` allows every module given). */
  setPlan(code: string): Promise<void>;
  /**
   * After a test wrote module rows behind the procedures' back (e.g. settings an older schema
   * wrote): forget the cached module state, as the restart that ships a new schema would.
   */
  forgetCachedState(): void;
  /** The database, as the application role; tenant rows only inside `withTenantScope`. */
  db: Database;
  /** Another tenant with its own owner, for isolation checks. */
  otherTenant(): Promise<{ id: string; slug: string; owner: CallerOf<M["router"]> }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Database to run on; default the first of `testBackends()` (PGlite). */
  backend?: TestBackend;
  /** Modules the one under test depends on (registered and available too). */
  dependencies?: AnyModuleDefinition[];
  /** Enable the module for the tenant at once (default true). */
  enable?: boolean;
}

const secret = randomBytes(32).toString("hex");

export async function createModuleTestHarness<M extends AnyModuleDefinition>(
  module: M,
  options: HarnessOptions = {},
): Promise<ModuleTestHarness<M>> {
  const backend = options.backend ?? testBackends()[0]!;
  const testDb: TestDatabase = await backend.create();
  const db = await openDatabase(testDb.options);
  try {
    // Test databases start migrated (see testBackends).
    await db.enterAppRole();
  } catch (error) {
    await db.close();
    await testDb.drop();
    throw error;
  }
  const modules = [...(options.dependencies ?? []), module];
  const definitions = new Map(modules.map((m) => [m.manifest.id, m]));
  await seedDatabase(db.prisma, { adminEmail: `admin-${randomUUID()}@example.test` });
  await syncModuleRegistry(
    db.prisma,
    modules.map((m) => m.manifest),
  );
  await db.prisma.plan.upsert({
    where: { code: "harness" },
    create: {
      code: "harness",
      name: "Harness",
      isPublic: false,
      limits: { maxMembers: 100, modules: modules.map((m) => m.manifest.id) },
    },
    update: { limits: { maxMembers: 100, modules: modules.map((m) => m.manifest.id) } },
  });

  const accessTokens = createAccessTokens({ secret, issuer: "tenantry-test", audience: "tenantry-test" });
  const log = pino({ level: "silent" });
  const facts = new TenantFactsCache({ ttlMs: 60_000 });
  const createContext = createContextFactory(harnessDependencies(db, accessTokens, secret, facts));
  const createCaller = createCallerFactory(module.router) as unknown as (ctx: Context) => CallerOf<M["router"]>;

  const contextFor = (tenantSlug: string, token: string | undefined): Context =>
    createContext({
      requestId: randomUUID(),
      log,
      ip: "127.0.0.1",
      userAgent: "module-test-harness",
      acceptLanguage: undefined,
      authorization: token ? `Bearer ${token}` : undefined,
      host: undefined,
      tenantHeader: tenantSlug,
    });

  async function account() {
    const user = await db.prisma.user.create({ data: { email: `user-${randomUUID()}@example.test`, displayName: "Test user" } });
    const session = await db.prisma.session.create({
      data: { userId: user.id, expiresAt: new Date(Date.now() + 24 * 3600_000) },
    });
    const { token } = await accessTokens.sign({ userId: user.id, sessionId: session.id, role: "user" });
    return { userId: user.id, sessionId: session.id, token };
  }

  async function createTenant(planCode: string) {
    const owner = await account();
    const id = randomUUID();
    const slug = `t-${id.slice(0, 8)}`;
    const plan = await db.prisma.plan.findUniqueOrThrow({ where: { code: planCode } });
    await withTenantScope(db.prisma, { tenantId: id, userId: owner.userId }, async (tx) => {
      await tx.tenant.create({ data: { id, slug, name: `Tenant ${slug}` } });
      await tx.tenantMember.create({ data: { tenantId: id, userId: owner.userId, role: "owner" } });
      await tx.subscription.create({ data: { tenantId: id, planId: plan.id, status: "active" } });
    });
    return { id, slug, owner };
  }

  /** Through the server's own tenant scope: one transaction, failure records kept after its rollback. */
  const lifecycleAs = async <T>(
    tenant: { id: string; slug: string },
    owner: { userId: string; sessionId: string; token: string },
    work: (ctx: Parameters<typeof enableModule>[0]) => Promise<T>,
  ): Promise<T> => {
    const ctx = contextFor(tenant.slug, owner.token);
    return inTenantTransaction(db.prisma, log, { id: tenant.id, slug: tenant.slug, status: "active" }, owner.userId, (scoped) =>
      work({
        ...scoped,
        actor: { userId: owner.userId },
        membership: { role: "owner" },
        auth: ctx.auth,
        tenancy: ctx.tenancy,
        log,
      }),
    );
  };

  const main = await createTenant("harness");
  const tenant = { id: main.id, slug: main.slug };
  const enable = (moduleId = module.manifest.id, settings?: Record<string, unknown>) =>
    lifecycleAs(tenant, main.owner, (ctx) => enableModule(ctx, definitions, moduleId, settings));
  if (options.enable ?? true) {
    for (const m of modules) await enable(m.manifest.id);
  }

  return {
    tenant,
    owner: createCaller(contextFor(tenant.slug, main.owner.token)),
    async member(role) {
      const member = await account();
      await withTenantScope(db.prisma, { tenantId: tenant.id }, (tx) =>
        tx.tenantMember.create({ data: { tenantId: tenant.id, userId: member.userId, role } }),
      );
      return createCaller(contextFor(tenant.slug, member.token));
    },
    async customer() {
      const customer = await account();
      return { userId: customer.userId, caller: createCaller(contextFor(tenant.slug, customer.token)) };
    },
    visitor: () => createCaller(contextFor(tenant.slug, undefined)),
    enable,
    disable: (moduleId = module.manifest.id) =>
      lifecycleAs(tenant, main.owner, (ctx) => disableModule(ctx, definitions, moduleId)),
    forgetCachedState: () => facts.invalidate(tenant.id),
    async setPlan(code) {
      const plan = await db.prisma.plan.findUniqueOrThrow({ where: { code } });
      await withTenantScope(db.prisma, { tenantId: tenant.id }, (tx) =>
        tx.subscription.update({ where: { tenantId: tenant.id }, data: { planId: plan.id } }),
      );
      facts.invalidate(tenant.id);
    },
    db,
    async otherTenant() {
      const other = await createTenant("harness");
      await lifecycleAs(other, other.owner, async (ctx) => {
        for (const m of modules) await enableModule(ctx, definitions, m.manifest.id, undefined);
      });
      return { id: other.id, slug: other.slug, owner: createCaller(contextFor(other.slug, other.owner.token)) };
    },
    async close() {
      await db.close();
      await testDb.drop();
    },
  };
}
