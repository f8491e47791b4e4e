import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "./routers/account/account.router.ts";
import { adminRouter } from "./routers/admin/admin.router.ts";
import { authRouter } from "./routers/auth/auth.router.ts";
import { platformRouter } from "./routers/platform/index.ts";
import { plansRouter } from "./routers/tenants/plans.router.ts";
import { tenantsRouter } from "./routers/tenants/tenants.router.ts";
import { router } from "@tenantry/api-core";

/** Every router of the platform; its type is what the SDK's client is built on. */
export const appRouter = router({
  platform: platformRouter,
  auth: authRouter,
  account: accountRouter,
  admin: adminRouter,
  tenants: tenantsRouter,
  plans: plansRouter,
});

export type AppRouter = typeof appRouter;
/** What each procedure takes and returns, by path: `RouterOutputs["account"]["me"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
