import { z } from "zod";
import { listPlans } from "../../services/tenants/subscriptions.ts";
import { publicProcedure, router } from "@tenantry/api-core";
import { planSchema } from "./tenant.schemas.ts";

export const plansRouter = router({
  list: publicProcedure
    .meta({ openapi: { method: "GET", path: "/plans", tags: ["plans"], protect: false, summary: "The plan catalogue" } })
    .input(z.object({}).optional())
    .output(z.array(planSchema))
    .query(({ ctx }) => listPlans(ctx)),
});
