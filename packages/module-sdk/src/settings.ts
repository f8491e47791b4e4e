import { InputValidationError } from "@tenantry/api-core";
import { z } from "zod";
import { ModuleSettingsInvalidError } from "./module-errors.ts";

/** A module's settings: an object schema whose every field has a default. */
export type SettingsSchema = z.ZodObject;

/** What an update may send: any subset of the settings, nested objects included. */
export type SettingsPatch<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? SettingsPatch<T[K]> : T[K];
};

/**
 * The schema of a settings update: every field optional at every depth, and no defaults (a
 * default would overwrite what the tenant set with what they did not send). Unknown keys are
 * refused: a typo should not be silently dropped.
 */
export function settingsPatchSchema<S extends SettingsSchema>(
  schema: S,
): z.ZodType<SettingsPatch<z.output<S>>, SettingsPatch<z.output<S>>> {
  return patchOf(schema) as unknown as z.ZodType<SettingsPatch<z.output<S>>, SettingsPatch<z.output<S>>>;
}

function patchOf(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType };
  if ((def.type === "default" || def.type === "prefault" || def.type === "optional") && def.innerType) {
    return patchOf(def.innerType);
  }
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(
      Object.entries(schema.shape).map(([key, field]) => [key, patchOf(field as z.ZodType).optional()]),
    );
    return z.strictObject(shape);
  }
  return schema;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `patch` over `current`: nested objects merge, everything else (arrays too) is replaced. */
export function mergeSettings(current: unknown, patch: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(patch)) return patch === undefined ? current : patch;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) merged[key] = mergeSettings(current[key], value);
  }
  return merged;
}

/**
 * `value` parsed by `schema`, or field-level errors. `field` is where the value sits in the
 * caller's input (e.g. `settings` when it is one field of a larger input), so error paths name
 * what the caller sent: `settings.theme.primaryColor`.
 */
export function validateSettings<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InputValidationError(
    parsed.error.issues.map((issue) => ({
      field: [...(field ? [field] : []), ...issue.path.map(String)].join("."),
      message: issue.message,
    })),
  );
}

/** Settings as stored for a tenant (absent: the defaults). */
export function readStoredSettings<S extends SettingsSchema>(moduleId: string, schema: S, stored: unknown): z.output<S> {
  const parsed = schema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ModuleSettingsInvalidError(moduleId, `${issue.path.map(String).join(".") || "settings"}: ${issue.message}`);
}

/** Enabling a module starts from its defaults, so the schema must accept `{}`. */
export function assertSettingsHaveDefaults(moduleId: string, schema: SettingsSchema): void {
  const parsed = schema.safeParse({});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.map(String).join(".")).join(", ");
    throw new Error(`Module ${moduleId}: every settings field needs a default; missing for ${fields}.`);
  }
}
