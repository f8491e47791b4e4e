import semver from "semver";
import { z } from "zod";

/** Names the core's `modules.*` procedures use; a module with one of them would collide. */
/**
 * Procedure names beside the modules in `modules.*`, and the names of the platform's own
 * module packages (`@tenantry/module-<id>` is a module's package name).
 */
export const reservedModuleIds = ["list", "enable", "disable", "settings", "core", "sdk", "runtime", "testing"] as const;

const moduleId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be kebab-case, e.g. shop or loyalty-points")
  .max(40, "must be at most 40 characters")
  .refine((id) => !(reservedModuleIds as readonly string[]).includes(id), {
    message: `is reserved (${reservedModuleIds.join(", ")})`,
  });

const version = z.string().refine((v) => semver.valid(v) === v, "must be a semantic version such as 1.2.0");
const range = z.string().refine((r) => semver.validRange(r) !== null, "must be a semver range such as ^1.0.0");

/**
 * `modules/<id>/manifest.json`. Strict: an unknown key is more likely a typo than a feature, so
 * it is refused rather than ignored.
 */
export const moduleManifestSchema = z
  .object({
    id: moduleId,
    name: z.string().trim().min(1).max(80),
    description: z.string().max(500).default(""),
    version,
    /** The platform core versions the module works with. */
    core: range,
    /** Other modules it needs enabled, with the versions it works with. */
    dependencies: z.record(moduleId, range).default({}),
    /** Plan codes that may enable it; absent: whichever plans list the module in their limits. */
    plans: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a plan code such as pro"))
      .min(1)
      .optional(),
    /** Which tenant roles may call each of its permissions (e.g. `products.manage`). */
    permissions: z
      .record(
        z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/, "must be dotted words such as products.manage"),
        z.array(z.enum(["owner", "admin", "member"])).min(1),
      )
      .default({}),
  })
  .strict();

export type ModuleManifest = z.infer<typeof moduleManifestSchema>;
