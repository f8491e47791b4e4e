import { tenantMemberProcedure, restRoutes, tenantPermissionProcedure } from "@tenantry/api-core";
import { z } from "zod";
import { disableModule, enableModule, listTenantModules } from "./lifecycle.ts";
import { moduleEntrySchema, moduleIdInput } from "./modules.schemas.ts";

const rest = restRoutes("modules");

/**
 * The per-tenant module lifecycle. Each module's own procedures (and its typed settings) are
 * mounted beside these, at `modules.<id>` (see root.ts).
 */
export const moduleLifecycleProcedures = {
  list: tenantMemberProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenant/modules",
        protect: true,
        summary: "Modules this tenant can use",
        description: "Every installed module, whether the tenant's plan allows it, and whether it is enabled.",
      }),
    )
    .input(z.object({}).optional())
    .output(z.array(moduleEntrySchema))
    .query(({ ctx }) => listTenantModules(ctx)),

  enable: tenantPermissionProcedure("modules.manage")
    .meta(
      rest({
        method: "POST",
        path: "/tenant/modules/{moduleId}/enable",
        errors: {
          403: ["MODULE_NOT_IN_PLAN"],
          404: ["MODULE_NOT_FOUND"],
          409: ["MODULE_ALREADY_ENABLED", "MODULE_DEPENDENCY_NOT_ENABLED", "MODULE_HOOK_FAILED", "MODULE_SETTINGS_INVALID"],
        },
        protect: true,
        summary: "Enable a module (owners and admins)",
        description:
          "The plan must allow it and the modules it depends on must be enabled. `settings` (optional) " +
          "is merged over the tenant's stored settings or the module's defaults and validated by the module. " +
          "The module's onEnable hook runs in the same transaction; if it fails, nothing changes.",
      }),
    )
    .input(
      moduleIdInput.extend({
        settings: z.record(z.string(), z.unknown()).optional().meta({
          description:
            "The module's settings: each module's own schema, the body of its `PATCH /modules/{moduleId}/settings` (e.g. the shop's `currency`, `storefrontTitle`, `theme`).",
        }),
      }),
    )
    .output(moduleEntrySchema)
    .mutation(({ ctx, input }) => enableModule(ctx, input.moduleId, input.settings)),

  disable: tenantPermissionProcedure("modules.manage")
    .meta(
      rest({
        method: "POST",
        path: "/tenant/modules/{moduleId}/disable",
        errors: { 404: ["MODULE_NOT_FOUND"], 409: ["MODULE_HOOK_FAILED", "MODULE_REQUIRED"] },
        protect: true,
        summary: "Disable a module (owners and admins)",
        description: "Its data and settings are kept. Refused while another enabled module depends on it.",
      }),
    )
    .input(moduleIdInput)
    .output(moduleEntrySchema)
    .mutation(({ ctx, input }) => disableModule(ctx, input.moduleId)),
};
