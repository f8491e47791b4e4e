import { listProcedures, mergeRouters, router, type NotificationKinds } from "@tenantry/api-core";
import type { AnyRouter } from "@trpc/server";
import { z } from "zod";
import { runHook, type ModuleHookContext, type ModuleHooks } from "./hooks.ts";
import type { ModuleManifest } from "./manifest-schema.ts";
import { createModuleProcedures, type ManifestInput } from "./module-procedures.ts";
import { mergeSettings, readStoredSettings, settingsPatchSchema, validateSettings, type SettingsSchema } from "./settings.ts";

export interface ModuleDefinition<TSettings extends SettingsSchema = SettingsSchema, TRouter extends AnyRouter = AnyRouter> {
  manifest: ModuleManifest;
  settings: TSettings;
  /** The module's procedures plus `settings.get` / `settings.update`, mounted at `modules.<id>`. */
  router: TRouter;
  hooks: ModuleHooks<z.output<TSettings>>;
  /** The notification kinds it sends, each with its `data` schema (see `createModuleProcedures`). */
  notifications: NotificationKinds;
  /** Demo rows for the development demo tenant; see `seedModuleDemoData`. */
  demo?: ModuleDemo<z.output<TSettings>>;
}

/**
 * Fills a tenant's module with example data. Runs in development only, in the transaction that
 * first switches the module on for the demo tenant, so it runs once and a throw leaves nothing.
 */
export type ModuleDemo<Settings> = (ctx: ModuleHookContext<Settings>) => Promise<void>;

/**
 * A module: its manifest, its settings schema (every field with a default), its router (built
 * with the builders from `createModuleProcedures`), its lifecycle hooks and, optionally, demo
 * data for development.
 *
 * Adds typed `settings.get` and `settings.update` procedures (`/api/v1/modules/<id>/settings`),
 * and checks that every procedure was made with the module's builders, so none skips the
 * enabled, plan and permission checks or lands outside `/api/v1/modules/<id>/`.
 */
export function defineModule<
  const TManifest extends ManifestInput,
  TSettings extends SettingsSchema,
  TRouter extends AnyRouter,
>(definition: {
  manifest: TManifest;
  settings: TSettings;
  router: TRouter;
  hooks?: ModuleHooks<z.output<TSettings>>;
  /** The same kinds given to `createModuleProcedures`: hooks' notifications are checked too. */
  notifications?: NotificationKinds;
  demo?: ModuleDemo<z.output<TSettings>>;
}) {
  const hooks = definition.hooks ?? {};
  const notifications = definition.notifications ?? {};
  const m = createModuleProcedures({ manifest: definition.manifest, settings: definition.settings, notifications });
  const moduleId = m.manifest.id;

  const settingsRouter = router({
    settings: router({
      get: m.settingsAdminProcedure
        .meta(
          m.rest({
            method: "GET",
            path: "/settings",
            summary: `The tenant's ${moduleId} settings`,
            description: `The ${moduleId} module's settings for this tenant, as stored (defaults filled in). Owners and admins.`,
          }),
        )
        .input(z.object({}).optional())
        .output(definition.settings)
        // tRPC cannot relate a generic schema's output to its own inference of it; the value is
        // the schema's parse result, so the cast only restates what `.output()` checks.
        .query(({ ctx }) => readStoredSettings(moduleId, definition.settings, ctx.settings) as never),

      update: m.settingsAdminProcedure
        .meta(
          m.rest({
            method: "PATCH",
            path: "/settings",
            // The module's onSettingsChange hook may refuse the change.
            errors: { 409: ["MODULE_HOOK_FAILED"] },
            summary: `Change the tenant's ${moduleId} settings`,
            description: "Send only what changes; nested objects merge. The result is validated as a whole.",
          }),
        )
        .input(settingsPatchSchema(definition.settings))
        .output(definition.settings)
        .mutation(async ({ ctx, input }) => {
          // Locked, so two admins changing different fields at once both keep their change.
          const [row] = await ctx.tenantDb.$queryRaw<Array<{ settings: unknown }>>`
            select settings from tenant_modules
             where tenant_id = ${ctx.tenant.id}::uuid and module_id = ${moduleId}
               for update`;
          const stored = row?.settings ?? {};
          // Merged over the stored values as they are, so settings an older schema wrote can be repaired.
          const next = validateSettings(definition.settings, mergeSettings(stored, input));
          const parsedBefore = definition.settings.safeParse(stored);
          const previous = (parsedBefore.success ? parsedBefore.data : stored) as z.output<TSettings>;
          await ctx.tenantDb.tenantModule.update({
            where: { tenantId_moduleId: { tenantId: ctx.tenant.id, moduleId } },
            data: { settings: next as object },
          });
          const onSettingsChange = hooks.onSettingsChange;
          if (onSettingsChange) {
            await runHook(moduleId, "onSettingsChange", ctx, () =>
              onSettingsChange({
                tenant: ctx.tenant,
                tenantDb: ctx.tenantDb,
                settings: next,
                previous,
                user: ctx.user,
                log: ctx.log,
                notify: ctx.notify,
              }),
            );
          }
          return next as never;
        }),
    }),
  });

  let moduleRouter;
  try {
    moduleRouter = mergeRouters(definition.router, settingsRouter);
  } catch (error) {
    throw new Error(
      `Module ${moduleId}: its router may not define "settings" (the platform adds it): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  assertBuiltWithModuleBuilders(moduleId, moduleRouter);

  const module: ModuleDefinition<TSettings, typeof moduleRouter> = {
    manifest: m.manifest,
    settings: definition.settings,
    router: moduleRouter,
    hooks,
    notifications,
    ...(definition.demo ? { demo: definition.demo } : {}),
  };
  return module;
}

export type AnyModuleDefinition = ModuleDefinition<SettingsSchema, AnyRouter>;

function assertBuiltWithModuleBuilders(moduleId: string, moduleRouter: AnyRouter) {
  for (const { path, meta } of listProcedures(moduleRouter)) {
    if (meta?.module !== moduleId) {
      throw new Error(
        `Module ${moduleId}: procedure ${path} is not built with the module's procedure builders ` +
          "(storefrontProcedure, customerProcedure, memberProcedure, adminProcedure, permittedProcedure); " +
          "it would skip the enabled, plan and permission checks.",
      );
    }
    const openapiPath = meta.openapi?.path;
    if (openapiPath !== undefined && !openapiPath.startsWith(`/modules/${moduleId}/`)) {
      throw new Error(
        `Module ${moduleId}: procedure ${path} is served at ${openapiPath}; use rest() so it lives under /modules/${moduleId}/.`,
      );
    }
    // The OpenAPI document must say what the builder enforces: a token, or none.
    const isPublic = meta.tenantScope === "public";
    if (meta.openapi && meta.openapi.protect !== !isPublic) {
      throw new Error(
        `Module ${moduleId}: procedure ${path} is a ${isPublic ? "storefront" : "signed-in"} procedure; ` +
          `give rest() protect: ${!isPublic} so the OpenAPI document says so.`,
      );
    }
  }
}
