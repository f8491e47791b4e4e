/**
 * The files `pnpm module:new <id>` writes: a working module with a manifest, settings, one
 * typed storefront procedure and a test of it on a real database. Kept as plain strings so
 * what an author gets is exactly what is read here.
 */

export interface TemplateNames {
  /** kebab-case, e.g. `loyalty-points`. */
  id: string;
  /** e.g. `Loyalty points`. */
  title: string;
  /** The core range the module supports, e.g. `^0.1.0`. */
  coreRange: string;
}

export function moduleTemplate({ id, title, coreRange }: TemplateNames): Record<string, string> {
  const manifest = {
    id,
    name: title,
    description: `The ${title} module.`,
    version: "0.1.0",
    core: coreRange,
    dependencies: {},
    plans: ["pro", "business"],
    permissions: { "greeting.read": ["owner", "admin", "member"] },
  };
  return {
    "manifest.json": `${JSON.stringify(manifest, null, 2)}\n`,

    "package.json": `${JSON.stringify(
      {
        name: `@tenantry/module-${id}`,
        version: "0.1.0",
        private: true,
        description: manifest.description,
        type: "module",
        exports: { ".": "./src/index.ts" },
        scripts: { typecheck: "tsc -p tsconfig.json", test: "vitest run" },
        dependencies: { "@tenantry/module-sdk": "workspace:*", zod: "4.6.7" },
        devDependencies: {
          "@tenantry/module-testing": "workspace:*",
          "@types/node": "20.19.43",
          typescript: "5.9.3",
          vitest: "4.1.12",
        },
      },
      null,
      2,
    )}\n`,

    "tsconfig.json": `{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test", "*.ts"]
}
`,

    "vitest.config.ts": `import { defineConfig } from "vitest/config";
import { sharedTestConfig } from "../../vitest.shared.ts";

export default defineConfig({ test: { ...sharedTestConfig } });
`,

    "src/settings.ts": `import { z } from "zod";

/** The tenant's settings for this module. Every field needs a default. */
export const settings = z.object({
  greeting: z.string().trim().min(1, "must not be empty").max(80).default("Hello"),
});
`,

    "src/procedures.ts": `import { createModuleProcedures } from "@tenantry/module-sdk";
import manifest from "../manifest.json" with { type: "json" };
import { settings } from "./settings.ts";

/** This module's procedure builders: storefront, customer, member, admin, permitted(…). */
export const m = createModuleProcedures({ manifest, settings });
export { manifest };
`,

    "src/index.ts": `import { defineModule, router } from "@tenantry/module-sdk";
import { z } from "zod";
import { m, manifest } from "./procedures.ts";
import { settings } from "./settings.ts";

/** Mounted at \`modules.${id}\` (REST: \`/api/v1/modules/${id}/…\`). */
export default defineModule({
  manifest,
  settings,
  router: router({
    hello: m.storefrontProcedure
      .meta(m.rest({ method: "GET", path: "/hello", protect: false, summary: "A greeting from the tenant" }))
      .input(z.object({ name: z.string().trim().min(1).max(40).optional() }))
      .output(z.object({ message: z.string() }))
      .query(({ ctx, input }) => ({
        message: \`\${ctx.settings.greeting}, \${input.name ?? "visitor"}, from \${ctx.tenant.slug}!\`,
      })),
  }),
});
`,

    "test/hello.test.ts": `import { createModuleTestHarness, testBackends, type ModuleTestHarness } from "@tenantry/module-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mod from "../src/index.ts";

describe.each(testBackends())("${id} on $name", (backend) => {
  let h: ModuleTestHarness<typeof mod>;
  beforeAll(async () => {
    h = await createModuleTestHarness(mod, { backend });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("greets a visitor with the tenant's greeting", async () => {
    expect(await h.visitor().hello({ name: "Ada" })).toEqual({ message: \`Hello, Ada, from \${h.tenant.slug}!\` });
    await h.owner.settings.update({ greeting: "Welcome" });
    expect((await h.visitor().hello({})).message).toBe(\`Welcome, visitor, from \${h.tenant.slug}!\`);
  });

  it("refuses bad input and bad settings, naming the field", async () => {
    await expect(h.visitor().hello({ name: "" })).rejects.toMatchObject({ cause: { code: "VALIDATION_FAILED" } });
    await expect(h.owner.settings.update({ greeting: " " })).rejects.toMatchObject({
      cause: { code: "VALIDATION_FAILED", issues: [{ field: "greeting" }] },
    });
  });

  it("answers nothing while the module is disabled for the tenant", async () => {
    await h.disable();
    await expect(h.visitor().hello({})).rejects.toMatchObject({ cause: { code: "MODULE_NOT_ENABLED" } });
    await h.enable();
  });
});
`,
  };
}
