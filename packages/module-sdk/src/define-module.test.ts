import { publicProcedure, router } from "@tenantry/api-core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineModule } from "./define-module.ts";
import { createModuleProcedures } from "./module-procedures.ts";

/** What defineModule and the builders refuse when a module is imported (no database needed). */
const ok = z.object({ ok: z.literal(true) });

describe("defineModule", () => {
  const manifest = { id: "strict", name: "Strict", version: "1.0.0", core: "^0.1.0", permissions: { "things.do": ["owner"] } };

  it("refuses a settings schema without defaults", () => {
    expect(() => createModuleProcedures({ manifest, settings: z.object({ apiKey: z.string() }) })).toThrow(
      "Module strict: every settings field needs a default; missing for apiKey.",
    );
  });

  it("refuses a notification kind outside the module's own namespace", () => {
    expect(() =>
      createModuleProcedures({ manifest, settings: z.object({}), notifications: { "module.enabled": z.object({}) } }),
    ).toThrow('Module strict: notification kind "module.enabled" must start with "strict."');
  });

  it("refuses a permission the manifest does not declare", () => {
    const m = createModuleProcedures({ manifest, settings: z.object({}) });
    expect(() => m.permittedProcedure("things.undo" as "things.do")).toThrow(/permission "things.undo" is not declared/);
  });

  it("refuses procedures not built with the module's builders, or served outside its path", () => {
    const m = createModuleProcedures({ manifest, settings: z.object({}) });
    const bypass = publicProcedure
      .input(z.object({}))
      .output(ok)
      .query(() => ({ ok: true as const }));
    expect(() => defineModule({ manifest, settings: z.object({}), router: router({ bypass }) })).toThrow(
      /procedure bypass is not built with the module's procedure builders/,
    );
    const elsewhere = m.memberProcedure
      .meta({ openapi: { method: "GET", path: "/tenant/sneaky", protect: true } })
      .input(z.object({}))
      .output(ok)
      .query(() => ({ ok: true as const }));
    expect(() => defineModule({ manifest, settings: z.object({}), router: router({ elsewhere }) })).toThrow(
      /served at \/tenant\/sneaky; use rest\(\)/,
    );
  });

  it("refuses OpenAPI meta that contradicts the builder (a storefront route documented as needing a token)", () => {
    const m = createModuleProcedures({ manifest, settings: z.object({}) });
    const storefront = m.storefrontProcedure
      .meta(m.rest({ method: "GET", path: "/open", summary: "Forgot protect: false" }))
      .input(z.object({}))
      .output(ok)
      .query(() => ({ ok: true as const }));
    expect(() => defineModule({ manifest, settings: z.object({}), router: router({ storefront }) })).toThrow(
      /storefront is a storefront procedure; give rest\(\) protect: false/,
    );
  });

  it("refuses an invalid manifest where the module is imported", () => {
    expect(() => createModuleProcedures({ manifest: { ...manifest, version: "1.0" }, settings: z.object({}) })).toThrow(
      /Module strict: manifest.json version: must be a semantic version/,
    );
  });
});
