import { restRoutes, router, tenantAdminProcedure } from "@tenantry/api-core";
import { z } from "zod";
import { listTenantAuditEvents } from "./audit-listing.ts";
import { auditEventPage, auditFilterInput } from "./audit.schemas.ts";

const rest = restRoutes("audit");

/** The tenant's audit trail, for its owners and admins (platform admins' is under `admin`). */
export const auditRouter = router({
  list: tenantAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenant/audit-events",
        description:
          "Who did what in this tenant, newest first, cursor-paginated: member and role changes, modules switched on and " +
          "off, domains, plan changes, the platform's actions on the tenant, and the modules' own events (the shop's " +
          "order status changes). Owners and admins only.",
        protect: true,
        summary: "The tenant's audit trail",
      }),
    )
    .input(z.object(auditFilterInput))
    .output(auditEventPage)
    .query(({ ctx, input }) => listTenantAuditEvents(ctx.tenantDb, input)),
});
