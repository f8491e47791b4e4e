import { z } from "zod";
import { listPlans } from "./subscriptions.ts";
import { publicProcedure, router, restRoutes } from "@tenantry/api-core";
import { planSchema } from "./tenant.schemas.ts";

const rest = restRoutes("plans");

export const plansRouter = router({
  list: publicProcedure
    .meta(
      rest({
        method: "GET",
        path: "/plans",
        description: "Every plan the platform offers, with its limits and the modules it includes. Public.",
        protect: false,
        summary: "The plan catalogue",
      }),
    )
    .input(z.object({}).optional())
    .output(z.array(planSchema))
    .query(({ ctx }) => listPlans(ctx)),
});
