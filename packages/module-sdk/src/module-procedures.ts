import {
  checkedNotification,
  ForbiddenError,
  lazyLogger,
  notifyTenantAdmins,
  recordAudit,
  restRoutes,
  tenantAdminProcedure,
  tenantCustomerProcedure,
  tenantMemberProcedure,
  tenantVisitorProcedure,
  type Actor,
  type AuditRecord,
  type Context,
  type ErrorDeclaration,
  type NotificationKinds,
  type NotificationOf,
  type TenantContext,
} from "@tenantry/api-core";
import type { z } from "zod";
import { moduleManifestSchema, type ModuleManifest } from "./manifest-schema.ts";
import { ModuleNotAvailableError } from "./module-errors.ts";
import { assertModuleUsable, readModuleState } from "./module-state.ts";
import { assertSettingsHaveDefaults, readStoredSettings, type SettingsSchema } from "./settings.ts";
import { deepFreeze } from "./deep-freeze.ts";

/** A manifest as a module imports it (`import manifest from "../manifest.json" with { type: "json" }`). */
export interface ManifestInput {
  id: string;
  version: string;
  permissions?: Record<string, readonly string[]>;
  [key: string]: unknown;
}

/** The manifest, validated; a module with a broken manifest fails where it is imported. */
export function parseModuleManifest(input: ManifestInput): ModuleManifest {
  const parsed = moduleManifestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`Module ${String(input.id)}: manifest.json ${issue.path.map(String).join(".")}: ${issue.message}`);
}

export interface RestRoute {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Below the module's prefix: `/products/{productId}` becomes `/api/v1/modules/<id>/products/{productId}`. */
  path: `/${string}`;
  summary: string;
  description?: string;
  /** Whether a bearer token is needed; `false` for storefront procedures. Default `true`. */
  protect?: boolean;
  /** App codes the procedure itself can answer with, by status (its builders' are implied). */
  errors?: ErrorDeclaration;
  /** A `POST` that creates something: REST answers `201 Created`. */
  created?: boolean;
}

/**
 * The procedure builders of one module. Each enters the tenant's transaction, then refuses the
 * call unless the module is installed, allowed by the tenant's plan and enabled for the tenant,
 * and hands the procedure the module's context:
 *
 * - `ctx.tenant`, `ctx.tenantDb` (the only database: this tenant's rows, nothing else; `ctx.db`
 *   is withheld), `ctx.settings` (parsed, typed, defaults filled), `ctx.log` (tagged with the
 *   module), `ctx.notify()` (to the tenant's owners and admins), `ctx.audit()` (the tenant's audit
 *   trail, in the same transaction), and `ctx.user` when signed in.
 */
/**
 * What the platform's context holds that module code must not reach: the database past the
 * tenant's transaction (`db`), the token signer and the keys behind codes and hashes (`auth`),
 * every tenant's resolution and billing (`tenancy`), the caller's raw bearer token
 * (`authorization`) and their session (`actor`; `user` says who is calling). A module's
 * context is its capability surface: the tenant, its scoped database, the caller, its settings,
 * notify, audit and log.
 */
const withheld = { db: undefined, auth: undefined, tenancy: undefined, authorization: undefined, actor: undefined } as const;

export function createModuleProcedures<
  const TManifest extends ManifestInput,
  TSettings extends SettingsSchema,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no kinds: `notify` takes nothing
  TNotifications extends NotificationKinds = {},
>(options: {
  manifest: TManifest;
  settings: TSettings;
  /**
   * The notification kinds the module sends, each with the schema of its `data`
   * (`{ "shop.order.placed": z.object({ orderId: z.uuid() }) }`): `ctx.notify` takes only these,
   * checks the data, and the OpenAPI document gives each kind its exact `data`.
   */
  notifications?: TNotifications;
}) {
  const manifest = parseModuleManifest(options.manifest);
  const moduleId = manifest.id;
  assertSettingsHaveDefaults(moduleId, options.settings);
  const notificationKinds = (options.notifications ?? {}) as TNotifications;
  for (const kind of Object.keys(notificationKinds)) {
    if (!kind.startsWith(`${moduleId}.`)) {
      throw new Error(`Module ${moduleId}: notification kind "${kind}" must start with "${moduleId}." so kinds never clash.`);
    }
  }
  type Settings = z.output<TSettings>;
  type Permission = Extract<keyof NonNullable<TManifest["permissions"]>, string>;

  /**
   * `publicFacing`: the caller need not be a member, so any refusal is the one generic answer.
   * `rawSettings`: for the settings procedures, which must work (to repair them) when the
   * stored settings no longer parse.
   */
  async function moduleContext(
    ctx: Context & TenantContext,
    actor: Actor | undefined,
    { publicFacing = false, rawSettings = false } = {},
  ) {
    const state = await ctx.tenancy.facts.get(ctx.tenant.id, `module:${moduleId}`, async () =>
      deepFreeze(await readModuleState(ctx.tenantDb, ctx.tenant.id, moduleId)),
    );
    let settings: Settings;
    try {
      assertModuleUsable(manifest, state);
      settings = rawSettings
        ? (state.storedSettings as Settings)
        : readStoredSettings(moduleId, options.settings, state.storedSettings);
    } catch (error) {
      if (publicFacing) throw new ModuleNotAvailableError(moduleId);
      throw error;
    }
    const tenantDb = ctx.tenantDb;
    const tenantId = ctx.tenant.id;
    return {
      ...withheld,
      module: { id: moduleId, version: manifest.version },
      settings,
      user: actor ? { id: actor.userId } : undefined,
      log: lazyLogger(() => ctx.log.child({ module: moduleId })),
      notify: (notification: NotificationOf<TNotifications>) =>
        notifyTenantAdmins(tenantDb, tenantId, moduleId, checkedNotification(moduleId, notificationKinds, notification)),
      /**
       * Records an event in the tenant's audit trail, in the procedure's transaction (it rolls
       * back with the change). The action must start with the module's id (`shop.order.…`);
       * who did it is the signed-in caller, or the module itself when nobody is signed in.
       */
      audit: (record: AuditRecord) => {
        if (!record.action.startsWith(`${moduleId}.`)) {
          throw new Error(
            `Module ${moduleId}: audit action "${record.action}" must start with "${moduleId}." so actions never clash.`,
          );
        }
        return recordAudit(tenantDb, {
          ...record,
          tenantId,
          ...(actor
            ? { actorType: "user" as const, actorId: actor.userId }
            : { actorType: "module" as const, actorId: moduleId }),
          origin: ctx,
        });
      },
    };
  }

  const meta = { module: moduleId };

  /** The tenant's public face: no sign-in needed; `ctx.user` is set when a valid token came. */
  const storefrontProcedure = tenantVisitorProcedure
    .meta(meta)
    .use(async ({ ctx, next }) => next({ ctx: await moduleContext(ctx, ctx.actor, { publicFacing: true }) }));

  /**
   * Any signed-in user, member of the tenant or not: a customer. Anyone can register, so their
   * writes are rate limited per tenant and user (`customerWritePerUser`).
   */
  const customerProcedure = tenantCustomerProcedure.meta(meta).use(async ({ ctx, next, type }) => {
    if (type === "mutation") await ctx.auth.limiter.consume("customerWritePerUser", `${ctx.tenant.id}:${ctx.actor.userId}`);
    return next({ ctx: { ...(await moduleContext(ctx, ctx.actor, { publicFacing: true })), user: { id: ctx.actor.userId } } });
  });

  /** A member of the tenant, any role; `ctx.membership.role` says which. */
  const memberProcedure = tenantMemberProcedure
    .meta(meta)
    .use(async ({ ctx, next }) => next({ ctx: { ...(await moduleContext(ctx, ctx.actor)), user: { id: ctx.actor.userId } } }));

  /** An owner or admin of the tenant. */
  const adminProcedure = tenantAdminProcedure
    .meta(meta)
    .use(async ({ ctx, next }) => next({ ctx: { ...(await moduleContext(ctx, ctx.actor)), user: { id: ctx.actor.userId } } }));

  /**
   * For the platform's settings procedures only (see defineModule): an owner or admin, with
   * `ctx.settings` as stored, unparsed, so settings a newer schema rejects can be repaired.
   */
  const settingsAdminProcedure = tenantAdminProcedure.meta(meta).use(async ({ ctx, next, type }) => {
    // A settings change makes the cached module state stale once it commits (the module's own
    // context has no cache to reach, by design).
    if (type === "mutation") ctx.afterCommit(() => ctx.tenancy.facts.invalidate(ctx.tenant.id));
    return next({ ctx: { ...(await moduleContext(ctx, ctx.actor, { rawSettings: true })), user: { id: ctx.actor.userId } } });
  });

  /** A member whose role the manifest grants `permission` (e.g. `"products.manage"`). */
  function permittedProcedure(permission: Permission) {
    const roles = manifest.permissions[permission];
    if (!roles) {
      throw new Error(`Module ${moduleId}: permission "${permission}" is not declared in manifest.json "permissions".`);
    }
    return memberProcedure.meta({ roles, permission }).use(({ ctx, next }) => {
      if (!roles.includes(ctx.membership.role)) {
        throw new ForbiddenError(
          "PERMISSION_DENIED",
          `Your role (${ctx.membership.role}) may not do this (${moduleId}: ${permission}).`,
        );
      }
      return next();
    });
  }

  /** OpenAPI meta for a procedure: under `/modules/<id>`, tagged with the module id. */
  const moduleRoute = restRoutes(moduleId);
  function rest(route: RestRoute) {
    return moduleRoute({ ...route, path: `/modules/${moduleId}${route.path}`, protect: route.protect ?? true });
  }

  return {
    manifest,
    settings: options.settings,
    storefrontProcedure,
    customerProcedure,
    memberProcedure,
    adminProcedure,
    permittedProcedure,
    settingsAdminProcedure,
    rest,
  };
}

export type ModuleProcedures = ReturnType<typeof createModuleProcedures>;
