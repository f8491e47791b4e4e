import { pageInput, pageOf } from "@tenantry/api-core";
import { z } from "zod";

export const auditEventSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid().nullable().meta({ description: "Null for a platform event (a sign-in, a blocked phone)." }),
    actorType: z.enum(["user", "platform", "module", "anonymous"]).meta({
      description: "`platform`: a platform admin (`actorId`) or the platform itself (no `actorId`).",
    }),
    actorId: z.string().nullable().meta({ description: "The user's id, or the module's id." }),
    action: z.string().meta({ description: "Stable and dotted, e.g. `member.role_changed`, `shop.order.status_changed`." }),
    targetType: z.string(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).meta({ description: "What changed; never secrets or whole phone numbers." }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AuditEvent" });

export const auditEventPage = pageOf(auditEventSchema);

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** The filters both listings take (flat, as REST query parameters). */
export const auditFilterInput = {
  ...pageInput,
  action: z
    .string()
    .max(100)
    .regex(/^[a-z0-9_.]+$/, "lower-case letters, digits, `_` and `.` only")
    .meta({ description: "An action (`member.role_changed`), or a prefix ending in `.` (`member.`)." })
    .optional(),
  actorId: z.string().min(1).max(100).meta({ description: "Only what this user (or module) did." }).optional(),
  from: instant.meta({ description: "From this instant on (ISO 8601, inclusive)." }).optional(),
  to: instant.meta({ description: "Before this instant (ISO 8601, exclusive)." }).optional(),
};
