import { demoTenantSlug, findTenantByReference, withTenantScope, type TenantDb } from "@tenantry/db";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { router } from "@tenantry/api-core";
import { seedModuleDemoData } from "@tenantry/module-runtime";
import { createModuleTestHarness, testBackends, type ModuleTestHarness } from "./index.ts";
import { createModuleProcedures, defineModule, type AnyModuleDefinition } from "@tenantry/module-sdk";

/**
 * Demo data on the seeded demo tenant: a module is switched on and filled once, through the
 * real lifecycle; what the operator did since is kept; a failing demo leaves nothing behind.
 * The demo rows here are notifications, a core table every module may write.
 */

const demoRuns: string[] = [];
const failNext = { failing: false };

function fixture(id: string, extra: { dependencies?: Record<string, string>; failing?: boolean } = {}) {
  const manifest = { id, name: `Fixture ${id}`, version: "1.0.0", core: "^0.1.0", dependencies: extra.dependencies ?? {} };
  const settings = z.object({ label: z.string().default(`${id} default`) });
  const m = createModuleProcedures({ manifest, settings });
  return defineModule({
    manifest,
    settings,
    notifications: { [`${id}.demo`]: z.object({}) },
    router: router({
      ping: m.storefrontProcedure
        .meta(m.rest({ method: "GET", path: "/ping", summary: "Ping", protect: false }))
        .input(z.object({}).optional())
        .output(z.object({ label: z.string() }))
        .query(({ ctx }) => ({ label: ctx.settings.label })),
    }),
    async demo(ctx) {
      demoRuns.push(id);
      await ctx.notify({ kind: `${id}.demo`, title: `Demo row with ${ctx.settings.label}`, data: {} });
      if (extra.failing && failNext.failing) throw new Error(`${id} demo broke`);
    },
  });
}

const base = fixture("demo-base");
const addon = fixture("demo-addon", { dependencies: { "demo-base": "^1.0.0" } });
const fragile = fixture("demo-fragile", { failing: true });

describe.each(testBackends())("module demo data on $name", (backend) => {
  let h: ModuleTestHarness<typeof base>;
  let demoTenantId: string;
  const log = pino({ level: "silent" });
  // The add-on first: seeding must still switch on what it depends on before it.
  const definitions = new Map<string, AnyModuleDefinition>([addon, base, fragile].map((d) => [d.manifest.id, d]));

  beforeAll(async () => {
    h = await createModuleTestHarness(base, { backend, dependencies: [addon, fragile], enable: false });
    demoTenantId = (await findTenantByReference(h.db.prisma, demoTenantSlug))!.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const inDemoTenant = <T>(work: (tx: TenantDb) => Promise<T>) => withTenantScope(h.db.prisma, { tenantId: demoTenantId }, work);
  const demoPlan = async (code: string) => {
    const plan = await h.db.prisma.plan.findUniqueOrThrow({ where: { code } });
    await inDemoTenant((tx) => tx.subscription.update({ where: { tenantId: demoTenantId }, data: { planId: plan.id } }));
  };
  const modulesOfDemo = () =>
    inDemoTenant((tx) =>
      tx.tenantModule.findMany({ orderBy: { moduleId: "asc" }, select: { moduleId: true, enabled: true, settings: true } }),
    );
  const demoNotifications = () =>
    inDemoTenant((tx) =>
      tx.notification.findMany({ where: { kind: { endsWith: ".demo" } }, select: { kind: true, title: true } }),
    );
  const seed = () => seedModuleDemoData(h.db.prisma, definitions, { tenantSlug: demoTenantSlug, log });

  it("skips modules the demo tenant's plan excludes, writing nothing", async () => {
    demoRuns.length = 0;
    const result = await seed();
    expect(result.seeded).toEqual([]);
    expect(result.skipped.map((s) => s.moduleId).sort()).toEqual(["demo-addon", "demo-base", "demo-fragile"]);
    expect(result.skipped.find((s) => s.moduleId === "demo-base")!.reason).toMatch(/plan/i);
    expect(demoRuns).toEqual([]);
    expect(await modulesOfDemo()).toEqual([]);
  });

  it("switches each module on with its defaults and fills it, dependencies first; a failing demo leaves nothing", async () => {
    await demoPlan("harness");
    demoRuns.length = 0;
    failNext.failing = true;
    const result = await seed();

    expect(result).toEqual({
      seeded: ["demo-base", "demo-addon"],
      kept: [],
      skipped: [{ moduleId: "demo-fragile", reason: "demo-fragile demo broke" }],
    });
    expect(demoRuns).toEqual(["demo-base", "demo-addon", "demo-fragile"]);
    expect(await modulesOfDemo()).toEqual([
      { moduleId: "demo-addon", enabled: true, settings: { label: "demo-addon default" } },
      { moduleId: "demo-base", enabled: true, settings: { label: "demo-base default" } },
    ]);
    expect((await demoNotifications()).map((n) => n.title).sort()).toEqual([
      "Demo row with demo-addon default",
      "Demo row with demo-base default",
    ]);
    // Enabled through the lifecycle, so the owner was told as over REST.
    const enabledNotices = await inDemoTenant((tx) => tx.notification.count({ where: { kind: "module.enabled" } }));
    expect(enabledNotices).toBe(2);
  });

  it("seeds once: a later start fills only what never had it, and keeps what the operator switched off", async () => {
    await inDemoTenant((tx) =>
      tx.tenantModule.update({
        where: { tenantId_moduleId: { tenantId: demoTenantId, moduleId: "demo-addon" } },
        data: { enabled: false },
      }),
    );
    demoRuns.length = 0;
    failNext.failing = false;
    const result = await seed();

    expect(result).toEqual({ seeded: ["demo-fragile"], kept: ["demo-base", "demo-addon"], skipped: [] });
    expect(demoRuns).toEqual(["demo-fragile"]);
    expect((await modulesOfDemo()).map((m) => [m.moduleId, m.enabled])).toEqual([
      ["demo-addon", false],
      ["demo-base", true],
      ["demo-fragile", true],
    ]);
    expect(await demoNotifications()).toHaveLength(3);
  });

  it("seeds a module once when two servers start at once", async () => {
    await inDemoTenant((tx) =>
      tx.tenantModule.delete({ where: { tenantId_moduleId: { tenantId: demoTenantId, moduleId: "demo-fragile" } } }),
    );
    demoRuns.length = 0;
    const [one, other] = await Promise.all([seed(), seed()]);

    expect([...one.seeded, ...other.seeded]).toEqual(["demo-fragile"]);
    expect([...one.kept, ...other.kept].filter((id) => id === "demo-fragile")).toHaveLength(1);
    expect([...one.skipped, ...other.skipped]).toEqual([]);
    expect(demoRuns).toEqual(["demo-fragile"]);
  });

  it("reports a missing demo tenant instead of failing", async () => {
    const result = await seedModuleDemoData(h.db.prisma, definitions, { tenantSlug: "no-such-tenant", log });
    expect(result.seeded).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual(Array(3).fill('no tenant "no-such-tenant"'));
  });
});
