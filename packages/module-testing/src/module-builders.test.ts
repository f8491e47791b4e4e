import { withTenantScope } from "@tenantry/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, router } from "@tenantry/api-core";
import { createModuleTestHarness, testBackends, type ModuleTestHarness } from "./index.ts";
import { createModuleProcedures, defineModule } from "@tenantry/module-sdk";

/**
 * The module runtime end to end on a real database: builders refusing what they must, typed
 * settings, hooks inside the change's transaction, and the lifecycle's dependency rules. Two
 * small modules stand in for real ones.
 */

/** What the hooks should do on the next run; tests flip it. */
const hookPlan = { failEnableWith: undefined as Error | undefined, failDisable: false, failWithDatabaseError: false };

const guestbookManifest = {
  id: "guestbook",
  name: "Guest book",
  version: "1.0.0",
  core: "^0.1.0",
  permissions: { "entries.moderate": ["owner"] },
};
const guestbookSettings = z.object({
  greeting: z.string().min(1).max(50).default("Hello"),
  theme: z
    .object({
      colour: z
        .string()
        .regex(/^#[0-9a-f]{6}$/, "must be a colour such as #336699")
        .default("#000000"),
      accent: z
        .string()
        .regex(/^#[0-9a-f]{6}$/, "must be a colour such as #336699")
        .default("#ffffff"),
    })
    .prefault({}),
});

const guestbookNotifications = { "guestbook.ping": z.object({}), "guestbook.welcome": z.object({}) };
const gb = createModuleProcedures({
  manifest: guestbookManifest,
  settings: guestbookSettings,
  notifications: guestbookNotifications,
});
const ok = z.object({ ok: z.literal(true) });

const guestbook = defineModule({
  notifications: guestbookNotifications,
  manifest: guestbookManifest,
  settings: guestbookSettings,
  router: router({
    hello: gb.storefrontProcedure
      .meta(gb.rest({ method: "GET", path: "/hello", summary: "Greeting", protect: false }))
      .input(z.object({}).optional())
      .output(z.object({ greeting: z.string(), colour: z.string(), tenantId: z.string(), userId: z.string().nullable() }))
      .query(({ ctx }) => ({
        greeting: ctx.settings.greeting,
        colour: ctx.settings.theme.colour,
        tenantId: ctx.tenant.id,
        userId: ctx.user?.id ?? null,
      })),
    role: gb.memberProcedure
      .meta(gb.rest({ method: "GET", path: "/role", summary: "My role" }))
      .input(z.object({}).optional())
      .output(z.object({ role: z.string() }))
      .query(({ ctx }) => ({ role: ctx.membership.role })),
    moderate: gb
      .permittedProcedure("entries.moderate")
      .meta(gb.rest({ method: "POST", path: "/moderate", summary: "Owners only, by the manifest" }))
      .input(z.object({}).optional())
      .output(ok)
      .mutation(() => ({ ok: true as const })),
    configure: gb.adminProcedure
      .meta(gb.rest({ method: "POST", path: "/configure", summary: "Owners and admins" }))
      .input(z.object({}).optional())
      .output(ok)
      .mutation(() => ({ ok: true as const })),
    capabilities: gb.memberProcedure
      .meta(gb.rest({ method: "GET", path: "/capabilities", summary: "What module code can reach" }))
      .input(z.object({}).optional())
      .output(z.object({ reachable: z.array(z.string()) }))
      .query(({ ctx }) => ({
        reachable: Object.entries(ctx)
          .filter(([, value]) => value !== undefined)
          .map(([key]) => key)
          .sort(),
      })),
    ping: gb.customerProcedure
      .meta(gb.rest({ method: "POST", path: "/ping", summary: "Any signed-in user" }))
      .input(z.object({}).optional())
      .output(z.object({ notified: z.number() }))
      .mutation(async ({ ctx }) => ({
        notified: await ctx.notify({ kind: "guestbook.ping", title: `Ping from ${ctx.user.id}`, data: {} }),
      })),
  }),
  hooks: {
    async onEnable(ctx) {
      // Written in the change's transaction: gone again if the hook then fails.
      await ctx.notify({ kind: "guestbook.welcome", title: `Welcome: ${ctx.settings.greeting}` });
      if (hookPlan.failEnableWith) throw hookPlan.failEnableWith;
      if (hookPlan.failWithDatabaseError) await ctx.tenantDb.$queryRawUnsafe("select secret_column from no_such_table");
    },
    onDisable() {
      if (hookPlan.failDisable) throw new Error("the guest book is still being archived");
    },
    onSettingsChange(ctx) {
      if (ctx.settings.greeting === "explode")
        throw new Error(`cannot greet with ${ctx.settings.greeting} (was ${ctx.previous.greeting})`);
    },
  },
});

const extraManifest = {
  id: "guestbook-extra",
  name: "Guest book extras",
  version: "1.0.0",
  core: "^0.1.0",
  dependencies: { guestbook: "^1.0.0" },
};
const extraSettings = z.object({});
const extra = defineModule({ manifest: extraManifest, settings: extraSettings, router: router({}) });

/** The appCode a call fails with, or "ok". */
const outcome = (call: Promise<unknown>) =>
  call.then(
    () => "ok",
    (error: { cause?: { code?: string }; code?: string }) => error.cause?.code ?? error.code,
  );

describe.each(testBackends())("module runtime on $name", (backend) => {
  let h: ModuleTestHarness<typeof guestbook>;

  beforeAll(async () => {
    h = await createModuleTestHarness(guestbook, { backend, dependencies: [] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const notifications = () =>
    withTenantScope(h.db.prisma, { tenantId: h.tenant.id }, (tx) => tx.notification.findMany({ orderBy: { createdAt: "asc" } }));
  const storedRow = () =>
    withTenantScope(h.db.prisma, { tenantId: h.tenant.id }, (tx) =>
      tx.tenantModule.findUnique({ where: { tenantId_moduleId: { tenantId: h.tenant.id, moduleId: "guestbook" } } }),
    );

  it("gives procedures the tenant, the typed settings with defaults, and the user where signed in", async () => {
    expect(await h.visitor().hello()).toEqual({ greeting: "Hello", colour: "#000000", tenantId: h.tenant.id, userId: null });
    const customer = await h.customer();
    expect((await customer.caller.hello()).userId).toBe(customer.userId);
    expect(await h.owner.role()).toEqual({ role: "owner" });
  });

  it("refuses by role: membership, admin rank and the manifest's permissions", async () => {
    const admin = await h.member("admin");
    const member = await h.member("member");
    const { caller: customer } = await h.customer();
    expect(await outcome(customer.role())).toBe("NOT_A_MEMBER");
    expect(await outcome(member.configure())).toBe("TENANT_ADMIN_ONLY");
    expect(await outcome(admin.configure())).toBe("ok");
    // entries.moderate is granted to owners only.
    expect(await outcome(admin.moderate())).toBe("PERMISSION_DENIED");
    expect(await outcome(h.owner.moderate())).toBe("ok");
    expect(await outcome(h.visitor().ping())).toBe("UNAUTHENTICATED");
  });

  it("gives module code a narrow context: no platform database, token signer, keys, tenancy or bearer token", async () => {
    const { reachable } = await h.owner.capabilities();
    for (const platformOnly of ["db", "auth", "tenancy", "authorization", "actor"]) expect(reachable).not.toContain(platformOnly);
    expect(reachable).toEqual(
      expect.arrayContaining(["tenant", "tenantDb", "user", "membership", "settings", "log", "notify", "module"]),
    );
  });

  it("lets ctx.notify reach the tenant's owners and admins only", async () => {
    const { caller: customer } = await h.customer();
    const before = (await notifications()).length;
    const { notified } = await customer.ping();
    // The owner and the admin made above; not the member, not the customer.
    expect(notified).toBe(2);
    expect((await notifications()).length).toBe(before + 2);
  });

  it("refuses every builder when the module is disabled, and when the plan does not include it", async () => {
    await h.disable();
    expect(await outcome(h.visitor().hello())).toBe("MODULE_NOT_ENABLED");
    expect(await outcome(h.owner.role())).toBe("MODULE_NOT_ENABLED");
    expect(await outcome(h.owner.settings.get())).toBe("MODULE_NOT_ENABLED");
    await h.enable();
    await h.setPlan("free");
    try {
      // Visitors and customers are not told the tenant's plan; members are.
      expect(await outcome(h.visitor().hello())).toBe("MODULE_NOT_ENABLED");
      expect(await outcome(h.owner.moderate())).toBe("MODULE_NOT_IN_PLAN");
      // …and it cannot be switched on again there.
      await h.disable();
      expect(await outcome(h.enable())).toBe("MODULE_NOT_IN_PLAN");
    } finally {
      await h.setPlan("harness");
      await h.enable();
    }
  });

  it("validates settings updates as a whole, merging nested objects, refusing unknown keys", async () => {
    const updated = await h.owner.settings.update({ theme: { colour: "#336699" } });
    expect(updated).toEqual({ greeting: "Hello", theme: { colour: "#336699", accent: "#ffffff" } });
    await h.owner.settings.update({ theme: { accent: "#112233" } });
    expect((await h.owner.settings.get()).theme).toEqual({ colour: "#336699", accent: "#112233" });

    const bad = await h.owner.settings.update({ theme: { colour: "blue" } }).catch((e: { cause: unknown }) => e.cause);
    expect(bad).toMatchObject({
      code: "VALIDATION_FAILED",
      issues: [{ field: "theme.colour", message: "must be a colour such as #336699" }],
    });
    const unknown = await h.owner.settings.update({ greting: "typo" } as never).catch((e: { cause: unknown }) => e.cause);
    expect(unknown).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(JSON.stringify(unknown)).toContain("greting");
    expect(await outcome((await h.member("admin")).settings.update({ greeting: "Hi" }))).toBe("ok");
    expect(await outcome((await h.member("member")).settings.update({ greeting: "Hey" }))).toBe("TENANT_ADMIN_ONLY");
    expect((await h.owner.settings.get()).greeting).toBe("Hi");
  });

  it("rolls a settings change back when onSettingsChange fails, and tells the admins", async () => {
    const before = await h.owner.settings.get();
    const failed = await h.owner.settings.update({ greeting: "explode" }).catch((e: { cause: unknown }) => e.cause);
    expect(failed).toBeInstanceOf(AppError);
    expect(failed).toMatchObject({
      code: "MODULE_HOOK_FAILED",
      message: `The guestbook module's onSettingsChange hook failed: cannot greet with explode (was ${before.greeting})`,
    });
    expect(await h.owner.settings.get()).toEqual(before);
    const last = (await notifications()).at(-1);
    expect(last).toMatchObject({ source: "guestbook", kind: "module.hook_failed" });
  });

  it("rolls enabling back when onEnable fails, keeping only the failure notice", async () => {
    await h.disable();
    const notesBefore = await notifications();
    hookPlan.failEnableWith = new Error("no guest book without a visitor log");
    try {
      const failed = await h.enable().catch((e: unknown) => e);
      expect(failed).toMatchObject({
        code: "MODULE_HOOK_FAILED",
        message: expect.stringContaining("no guest book without a visitor log"),
      });
      expect((await storedRow())?.enabled).toBe(false);
      const added = (await notifications()).slice(notesBefore.length);
      // The hook's own welcome and the "enabled" notice were rolled back; the failure notice
      // (one per owner and admin) stays.
      expect([...new Set(added.map((n) => n.kind))]).toEqual(["module.hook_failed"]);

      // A hook may refuse with a code of its own; it reaches the caller unchanged.
      hookPlan.failEnableWith = new AppError("CONFLICT", "GUESTBOOK_NOT_READY", "Import the old entries first.");
      expect(await h.enable().catch((e: unknown) => e)).toMatchObject({
        code: "GUESTBOOK_NOT_READY",
        message: "Import the old entries first.",
      });
    } finally {
      hookPlan.failEnableWith = undefined;
    }
    await h.enable();
    expect((await storedRow())?.enabled).toBe(true);
    const kinds = new Set((await notifications()).map((n) => n.kind));
    expect(kinds.has("guestbook.welcome") && kinds.has("module.enabled")).toBe(true);
  });

  it("shows a hook's database error to the caller only as such (the driver's message names internals)", async () => {
    await h.disable();
    hookPlan.failWithDatabaseError = true;
    try {
      const failed = (await h.enable().catch((e: unknown) => e)) as Error & { code?: string };
      expect(failed.code).toBe("MODULE_HOOK_FAILED");
      expect(failed.message).toBe("The guestbook module's onEnable hook failed: a database error (see the server log)");
      expect(failed.message).not.toMatch(/no_such_table|secret_column/);
    } finally {
      hookPlan.failWithDatabaseError = false;
    }
    await h.enable();
  });

  it("keeps both of two concurrent settings changes to different fields", async () => {
    await Promise.all([
      h.owner.settings.update({ theme: { accent: "#abcdef" } }),
      h.owner.settings.update({ greeting: "Both kept" }),
    ]);
    expect(await h.owner.settings.get()).toMatchObject({ greeting: "Both kept", theme: { accent: "#abcdef" } });
  });

  it("lets admins repair settings a newer schema no longer accepts, telling visitors nothing", async () => {
    const write = (settings: object) =>
      withTenantScope(h.db.prisma, { tenantId: h.tenant.id }, (tx) =>
        tx.tenantModule.update({
          where: { tenantId_moduleId: { tenantId: h.tenant.id, moduleId: "guestbook" } },
          data: { settings },
        }),
      );
    await write({ greeting: "", theme: { colour: "#000000", accent: "#ffffff" } });
    h.forgetCachedState();
    const visitorRefusal = await h
      .visitor()
      .hello()
      .catch((e: { cause: { code: string; message: string } }) => e.cause);
    expect(visitorRefusal).toMatchObject({
      code: "MODULE_NOT_ENABLED",
      message: "The guestbook module is not available for this tenant.",
    });
    expect(await outcome(h.owner.role())).toBe("MODULE_SETTINGS_INVALID");
    expect(await outcome(h.owner.settings.get())).toBe("MODULE_SETTINGS_INVALID");
    expect(await h.owner.settings.update({ greeting: "Repaired" })).toMatchObject({ greeting: "Repaired" });
    expect((await h.visitor().hello()).greeting).toBe("Repaired");
  });

  it("limits how fast one customer may write (anyone can sign up and become one)", async () => {
    const { caller: customer } = await h.customer();
    const outcomes = [];
    for (let i = 0; i < 61; i++) outcomes.push(await outcome(customer.ping()));
    expect(outcomes.slice(0, 60).every((o) => o === "ok")).toBe(true);
    expect(outcomes[60]).toBe("RATE_LIMITED");
    // Reads are not counted; other customers are not affected.
    expect(await outcome(customer.hello())).toBe("ok");
    expect(await outcome((await h.customer()).caller.ping())).toBe("ok");
  });

  it("rolls disabling back when onDisable fails", async () => {
    hookPlan.failDisable = true;
    try {
      expect(await h.disable().catch((e: unknown) => e)).toMatchObject({ code: "MODULE_HOOK_FAILED" });
      expect((await storedRow())?.enabled).toBe(true);
    } finally {
      hookPlan.failDisable = false;
    }
  });

  it("keeps settings while disabled, and enabling can repair or change them", async () => {
    await h.owner.settings.update({ greeting: "Welcome back" });
    await h.disable();
    await h.enable();
    expect((await h.owner.settings.get()).greeting).toBe("Welcome back");
    await h.disable();
    expect(await h.enable("guestbook", { greeting: "" }).catch((e: unknown) => e)).toMatchObject({ code: "VALIDATION_FAILED" });
    await h.enable("guestbook", { greeting: "Fresh start" });
    expect((await h.owner.settings.get()).greeting).toBe("Fresh start");
  });

  it("keeps one tenant's settings and state from another's", async () => {
    const other = await h.otherTenant();
    expect((await other.owner.settings.get()).greeting).toBe("Hello");
    expect((await other.owner.hello()).tenantId).toBe(other.id);
  });
});

describe.each(testBackends())("module dependencies on $name", (backend) => {
  let h: ModuleTestHarness<typeof extra>;
  beforeAll(async () => {
    h = await createModuleTestHarness(extra, { backend, dependencies: [guestbook], enable: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("enables a module only after what it depends on, and disables that only after it", async () => {
    expect(await h.enable("guestbook-extra").catch((e: unknown) => e)).toMatchObject({
      code: "MODULE_DEPENDENCY_NOT_ENABLED",
      message: "The guestbook-extra module needs guestbook enabled first.",
    });
    await h.enable("guestbook");
    await h.enable("guestbook-extra");
    expect(await h.disable("guestbook").catch((e: unknown) => e)).toMatchObject({
      code: "MODULE_REQUIRED",
      message: "guestbook-extra depends on the guestbook module; disable it first.",
    });
    await h.disable("guestbook-extra");
    await h.disable("guestbook");
    // Unknown modules are named as such.
    expect(await h.enable("nope").catch((e: unknown) => e)).toMatchObject({ code: "MODULE_NOT_FOUND" });
  });
});
