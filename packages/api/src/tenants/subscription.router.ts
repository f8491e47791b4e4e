import { z } from "zod";
import { changePlan, getSubscription } from "./subscriptions.ts";
import { router, restRoutes, tenantPermissionProcedure } from "@tenantry/api-core";
import { subscriptionSchema } from "./tenant.schemas.ts";

const rest = restRoutes("tenants");

export const subscriptionRouter = router({
  get: tenantPermissionProcedure("subscription.read")
    .meta(
      rest({
        method: "GET",
        path: "/tenant/subscription",
        description: "The tenant's plan, its limits, and the subscription's status and period.",
        protect: true,
        summary: "Plan and subscription status",
      }),
    )
    .input(z.object({}).optional())
    .output(subscriptionSchema)
    .query(({ ctx }) => getSubscription(ctx)),

  changePlan: tenantPermissionProcedure("subscription.change")
    .meta(
      rest({
        method: "PATCH",
        path: "/tenant/subscription",
        errors: { 404: ["PLAN_NOT_FOUND"], 409: ["PLAN_DOES_NOT_FIT"] },
        protect: true,
        summary: "Change the plan (owners)",
        description: "A plan the tenant does not fit is refused with the list of what must change first.",
      }),
    )
    .input(z.object({ planCode: z.string().trim().min(1).max(50) }))
    .output(subscriptionSchema)
    .mutation(({ ctx, input }) => changePlan(ctx, input.planCode)),
});
