import { z } from "zod";

export const moduleIdInput = z.object({
  moduleId: z
    .string()
    .max(40)
    .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be a module id such as shop"),
});

export const moduleEntrySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    version: z.string(),
    dependencies: z.record(z.string(), z.string()),
    allowedByPlan: z.boolean(),
    enabled: z.boolean(),
    enabledAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "TenantModule" });
