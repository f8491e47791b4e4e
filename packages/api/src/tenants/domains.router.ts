import { z } from "zod";
import { addDomain, listDomains, removeDomain, setPrimaryDomain, verifyDomain } from "./domains.ts";
import { InputValidationError, router, restRoutes, tenantPermissionProcedure } from "@tenantry/api-core";
import { domainNameSchema, domainSchema } from "./tenant.schemas.ts";

const rest = restRoutes("tenants");
const domainIdInput = z.object({ domainId: z.uuid() });

export const domainsRouter = router({
  list: tenantPermissionProcedure("domains.read")
    .meta(
      rest({
        method: "GET",
        path: "/tenant/domains",
        description: "The tenant's custom domains, whether each is verified, and which is primary.",
        protect: true,
        summary: "Custom domains",
      }),
    )
    .input(z.object({}).optional())
    .output(z.array(domainSchema))
    .query(({ ctx }) => listDomains(ctx)),

  add: tenantPermissionProcedure("domains.manage")
    .meta(
      rest({
        method: "POST",
        path: "/tenant/domains",
        created: true,
        errors: { 409: ["DOMAIN_TAKEN"] },
        protect: true,
        summary: "Attach a custom domain",
        description: "Returns the TXT record to publish; the domain serves the tenant once verified.",
      }),
    )
    .input(z.object({ domain: z.string().max(260) }))
    .output(domainSchema)
    .mutation(({ ctx, input }) => {
      // The platform domain is configuration, so the name is checked here rather than in the schema.
      const domain = domainNameSchema(ctx.tenancy.platformDomain).safeParse(input.domain);
      if (!domain.success) {
        // Reported exactly like a failed input schema: 400 VALIDATION_FAILED naming `domain`.
        throw new InputValidationError(domain.error.issues.map((issue) => ({ field: "domain", message: issue.message })));
      }
      return addDomain(ctx, domain.data);
    }),

  verify: tenantPermissionProcedure("domains.manage")
    .meta(
      rest({
        method: "POST",
        path: "/tenant/domains/{domainId}/verify",
        description:
          "Looks up the `_tenantry-challenge.<domain>` TXT record; once it holds the domain's token, the domain is verified and starts resolving to the tenant.",
        errors: { 400: ["DOMAIN_NOT_VERIFIED"], 404: ["DOMAIN_NOT_FOUND"] },
        protect: true,
        summary: "Check the TXT record",
      }),
    )
    .input(domainIdInput)
    .output(domainSchema)
    .mutation(({ ctx, input }) => verifyDomain(ctx, input.domainId)),

  setPrimary: tenantPermissionProcedure("domains.manage")
    .meta(
      rest({
        method: "POST",
        path: "/tenant/domains/{domainId}/primary",
        description: "Makes a verified domain the tenant's primary address (the one links should use).",
        errors: { 400: ["DOMAIN_NOT_VERIFIED"], 404: ["DOMAIN_NOT_FOUND"] },
        protect: true,
        summary: "Make it the primary domain",
      }),
    )
    .input(domainIdInput)
    .output(domainSchema)
    .mutation(({ ctx, input }) => setPrimaryDomain(ctx, input.domainId)),

  remove: tenantPermissionProcedure("domains.manage")
    .meta(
      rest({
        method: "DELETE",
        path: "/tenant/domains/{domainId}",
        description: "Detaches a domain; requests to it stop resolving to the tenant at once.",
        errors: { 404: ["DOMAIN_NOT_FOUND"] },
        protect: true,
        summary: "Detach a domain",
      }),
    )
    .input(domainIdInput)
    .output(z.object({ removed: z.literal(true) }))
    .mutation(({ ctx, input }) => removeDomain(ctx, input.domainId)),
});
