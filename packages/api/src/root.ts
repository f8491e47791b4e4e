import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "./account/account.router.ts";
import { adminRouter } from "./admin/admin.router.ts";
import { auditRouter } from "./audit/audit.router.ts";
import { authRouter } from "./auth/auth.router.ts";
import { platformRouter } from "./platform/index.ts";
import { plansRouter } from "./tenants/plans.router.ts";
import { tenantsRouter } from "./tenants/tenants.router.ts";
import { router } from "@tenantry/api-core";
import type { AnyModuleDefinition } from "@tenantry/module-sdk";
import { installedModules } from "./generated/modules.ts";
import { moduleLifecycleProcedures } from "./modules/modules.router.ts";
import { notificationsRouter } from "./notifications/notifications.router.ts";

/** Each module's router (its procedures and typed settings), keyed by module id. */
const moduleRouters = Object.fromEntries(
  Object.entries(installedModules as Record<string, AnyModuleDefinition>).map(([id, m]) => [id, m.router]),
) as {
  [Id in keyof typeof installedModules]: (typeof installedModules)[Id]["router"];
};

/** Every router of the platform; its type is what the SDK's client is built on. */
export const appRouter = router({
  platform: platformRouter,
  auth: authRouter,
  account: accountRouter,
  admin: adminRouter,
  tenants: tenantsRouter,
  plans: plansRouter,
  notifications: notificationsRouter,
  audit: auditRouter,
  /** `modules.list|enable|disable` for the tenant, and every module's router at `modules.<id>`. */
  modules: router({ ...moduleLifecycleProcedures, ...moduleRouters }),
});

export type AppRouter = typeof appRouter;
/** What each procedure takes and returns, by path: `RouterOutputs["account"]["me"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
