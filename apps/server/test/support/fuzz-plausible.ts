import type { Random } from "./fuzz-random.ts";
import type { Schema } from "./fuzz-operations.ts";

/**
 * Values that look right for a schema, so the fuzz suite also walks the happy path and a
 * mutated input differs from a valid one in the one place it was mutated. Ids come from pools
 * of rows that exist (`pools.productId`), keyed by the field or parameter name.
 */

/** Known values by field or parameter name: existing ids, module ids, plan codes. */
export type Pools = Readonly<Record<string, readonly string[]>>;

const uuidFormat = "uuid";

/** Generators for the patterns our schemas use; other patterns fall back to the example. */
const patterns: Array<[RegExp, (random: Random) => string]> = [
  [/^\^\\d\{6\}\$$/, (random) => random.text(6, "0123456789")],
  [/^\^\[A-Z\]\{3\}\$$/, (random) => random.pick(["EUR", "USD", "CHF"])],
  [/^\^#\[0-9a-fA-F\]\{6\}\$$/, (random) => `#${random.text(6, "0123456789abcdef")}`],
  [/^\^\[a-z0-9\]/, (random) => `fz-${random.text(8)}`],
];

function plausibleString(schema: Schema, name: string, random: Random): string {
  if (schema.format === uuidFormat) return random.uuid();
  if (schema.format === "date-time") return new Date(Date.UTC(2030, random.int(0, 11), random.int(1, 28))).toISOString();
  if (schema.format === "uri") return `https://images.example.test/${random.text(8)}.png`;
  if (/email/i.test(name)) return `fuzz-${random.text(10)}@example.test`;
  if (/phone/i.test(name) || (typeof schema.example === "string" && schema.example.startsWith("+41"))) {
    return `+4179${random.text(7, "0123456789")}`;
  }
  if (/domain/i.test(name)) return `fz-${random.text(8)}.example.com`;
  if (/password/i.test(name)) return `fuzz-${random.text(16)}-Pass!`;
  const generator = schema.pattern ? patterns.find(([pattern]) => pattern.test(schema.pattern!)) : undefined;
  if (generator) return generator[1](random);
  if (typeof schema.example === "string") return schema.example;
  const min = Math.max(schema.minLength ?? 1, 1);
  const max = Math.min(schema.maxLength ?? 24, 24);
  return random.text(random.int(Math.min(min, max), max), "abcdefghijklmnopqrstuvwxyz ");
}

/** A plausible value for `schema`, known values first when the pools have some for `name`. */
export function plausible(schema: Schema, name: string, pools: Pools, random: Random, depth = 0): unknown {
  const known = pools[name];
  if (known && known.length > 0 && !schema.items && !schema.properties) return random.pick(known);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return random.pick(schema.enum);
  if (schema.anyOf) {
    const branches = schema.anyOf.filter((branch) => branch.type !== "null");
    return plausible(random.pick(branches.length > 0 ? branches : schema.anyOf), name, pools, random, depth);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "boolean":
      return random.chance(0.5);
    case "integer":
    case "number": {
      const min = schema.minimum ?? 0;
      return random.int(min, Math.min(schema.maximum ?? min + 10, min + 10));
    }
    case "string":
      return plausibleString(schema, name, random);
    case "array": {
      if (!schema.items || depth > 4) return [];
      const count = Math.max(schema.minItems ?? 0, 1);
      return Array.from({ length: count }, () => plausible(schema.items!, name, pools, random, depth + 1));
    }
    case "null":
      return null;
    case "object":
    default: {
      if (!schema.properties) return type === "object" ? {} : "x";
      const required = new Set(schema.required ?? []);
      const object: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties)) {
        if (required.has(key) || random.chance(0.5)) object[key] = plausible(child, key, pools, random, depth + 1);
      }
      return object;
    }
  }
}
