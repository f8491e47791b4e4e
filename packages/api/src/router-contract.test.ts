import { describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import { listProcedures } from "@tenantry/api-core";

/** Every procedure of the router, by dotted path; new procedures are covered automatically. */
const procedures = listProcedures(appRouter).map((def) => ({ path: def.path, def }));

describe("router contract", () => {
  it("finds the procedures", () => {
    expect(procedures.map((p) => p.path)).toEqual(expect.arrayContaining(["platform.content.get", "platform.content.list"]));
  });

  it.each(procedures)("$path has OpenAPI meta or is marked internal", ({ def }) => {
    if (def.meta?.internal) return;
    const openapi = def.meta?.openapi;
    expect(openapi, "add .meta({ openapi: { method, path, tags } }) or mark it internal").toBeDefined();
    // Kebab-case segments; path parameters in {camelCase}.
    expect(openapi!.path).toMatch(/^(\/([a-z0-9-]+|\{[a-z][a-zA-Z]*\}))+$/);
    expect(openapi!.tags?.length, "one tag per router groups the docs").toBe(1);
    // trpc-to-openapi marks everything as needing a bearer token unless told otherwise.
    expect(typeof openapi!.protect, "say protect: true (signed in) or false (public)").toBe("boolean");
    expect(def.type === "query" ? "GET" : "not GET").toBe(openapi!.method === "GET" ? "GET" : "not GET");
  });

  it.each(procedures)('$path takes no plain z.boolean() (the REST bridge would coerce "false" to true)', ({ def }) => {
    const plainBooleans: string[] = [];
    const walk = (schema: unknown, path: string) => {
      const zod = schema as { _zod?: { def?: { type?: string; innerType?: unknown; shape?: Record<string, unknown> } } };
      const d = zod._zod?.def;
      if (!d) return;
      if (d.type === "boolean") plainBooleans.push(path || "(input)");
      if (d.innerType) walk(d.innerType, path);
      if (d.shape) for (const [key, value] of Object.entries(d.shape)) walk(value, path ? `${path}.${key}` : key);
    };
    for (const input of def.inputs) walk(input, "");
    expect(plainBooleans, "use strictBoolean() from @tenantry/api-core (or @tenantry/module-sdk)").toEqual([]);
  });

  it.each(procedures)("$path validates its input and declares its output", ({ def }) => {
    expect(def.inputs.length, "every procedure validates its input with zod").toBeGreaterThan(0);
    expect(def.output, "every procedure declares .output(...)").toBeDefined();
  });
});
