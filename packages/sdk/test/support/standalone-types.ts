import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unpackDist } from "./packed-sdk.ts";
import { runTsc } from "./tsc.ts";

/*
 * The packed SDK's dist/ (what a release ships) compiled into a frontend outside the monorepo,
 * where only tRPC is installed: if the declarations still needed the server's packages, or
 * degraded to `any`, the consumer would not compile.
 */

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const require = createRequire(import.meta.url);

const consumerSource = `
import { createClient, isTenantryError, type RouterInputs, type RouterOutputs } from "@tenantry/sdk";

const client = createClient({ url: "http://127.0.0.1:3000/", token: async () => "token", tenant: "acme" });

export async function showTerms(): Promise<string> {
  const r = await client.platform.content.get.query({ key: "legal.terms", locale: "en" });
  const title: string = r.title;
  const fallback: boolean = r.fallback;
  const updatedAt: string = r.updatedAt;
  // @ts-expect-error the title is a string, so the result is typed, not any
  const wrong: number = r.title;
  // @ts-expect-error the key is a string
  await client.platform.content.get.query({ key: 5 });
  // @ts-expect-error there is no such procedure
  await client.platform.content.remove.mutate({ key: "legal.terms" });

  const input: RouterInputs["platform"]["content"]["list"] = { prefix: "legal.", limit: 10 };
  const page: RouterOutputs["platform"]["content"]["list"] = await client.platform.content.list.query(input);
  const next: string | null = page.nextCursor;
  return [title, fallback, updatedAt, wrong, next, page.items.map((item) => item.key).join()].join();
}

export function explain(error: unknown): string {
  if (isTenantryError(error)) {
    const appCode: string = error.data.appCode;
    const status: number = error.data.httpStatus;
    const fields: string[] = (error.data.issues ?? []).map((issue) => issue.field);
    return [appCode, status, ...fields].join();
  }
  return "unknown";
}
`;

const strictConsumerOptions = {
  strict: true,
  noEmit: true,
  module: "nodenext",
  moduleResolution: "nodenext",
  target: "es2022",
  // A browser app's libraries; tRPC's own declarations also need `Disposable` (TS 5.2+ lib).
  lib: ["es2022", "dom", "dom.iterable", "esnext.disposable"],
  skipLibCheck: false,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  types: [],
};

/** The tests of the built SDK; `tarball` is asked for once the file's `beforeAll` has packed it. */
export function describeStandaloneTypes(tarball: () => string): void {
  let buildDir: string;
  let consumerDir: string;

  beforeAll(() => {
    // Inside the package, so the last test's check file resolves the same @trpc/server as src/router.ts.
    const scratch = path.join(packageDir, "node_modules", ".cache");
    mkdirSync(scratch, { recursive: true });
    buildDir = mkdtempSync(path.join(scratch, "sdk-build-"));
    unpackDist(tarball(), buildDir);

    consumerDir = mkdtempSync(path.join(os.tmpdir(), "tenantry-sdk-consumer-"));
    const sdkDir = path.join(consumerDir, "node_modules", "@tenantry", "sdk");
    cpSync(path.join(buildDir, "dist"), path.join(sdkDir, "dist"), { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
    writeJson(path.join(sdkDir, "package.json"), {
      name: manifest.name,
      version: manifest.version,
      type: "module",
      exports: manifest.exports,
      peerDependencies: manifest.peerDependencies,
    });
    for (const dependency of ["@trpc/client", "@trpc/server"]) {
      const from = path.dirname(require.resolve(`${dependency}/package.json`));
      cpSync(from, path.join(consumerDir, "node_modules", dependency), { recursive: true, dereference: true });
    }
    writeJson(path.join(consumerDir, "package.json"), { name: "consumer", private: true, type: "module" });
    writeFileSync(path.join(consumerDir, "consumer.ts"), consumerSource);
    writeJson(path.join(consumerDir, "tsconfig.json"), {
      compilerOptions: strictConsumerOptions,
      files: ["consumer.ts"],
    });
  });

  afterAll(() => {
    for (const dir of [consumerDir, buildDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // These run the TypeScript compiler (30-40 s each when CI runs every package at once).
  describe("the built SDK", { timeout: 240_000 }, () => {
    it("compiles in a strict consumer outside the monorepo with only tRPC installed", () => {
      expect(readdirSync(path.join(consumerDir, "node_modules")).sort()).toEqual(["@tenantry", "@trpc"]);
      expect(readdirSync(path.join(consumerDir, "node_modules", "@trpc")).sort()).toEqual(["client", "server"]);
      const { status, output } = runTsc(path.join(consumerDir, "tsconfig.json"));
      expect(output).toBe("");
      expect(status).toBe(0);
    });

    it("imports nothing from the server side in its declarations", () => {
      const distDir = path.join(buildDir, "dist");
      const declarations = readdirSync(distDir).filter((f) => f.endsWith(".d.ts"));
      expect(declarations).toContain("index.d.ts");
      for (const file of declarations) {
        const text = readFileSync(path.join(distDir, file), "utf8");
        const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
        for (const specifier of specifiers) {
          expect(specifier, `${file} imports ${specifier}`).not.toMatch(/@tenantry\/|prisma|pino|express|zod|openapi/i);
          expect(specifier, `${file} imports ${specifier}`).toMatch(/^(\.\/|@trpc\/(client|server)$)/);
        }
        expect(text, file).not.toContain("@tenantry/");
        expect(text, file).not.toContain("/// <reference");
      }
    });

    it("keeps the JavaScript free of server code", () => {
      const js = readFileSync(path.join(buildDir, "dist", "index.js"), "utf8");
      const imports = [...js.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]);
      // `@trpc/server/observable` is the small stream helper tRPC's docs have custom links use.
      expect(new Set(imports)).toEqual(new Set(["@trpc/client", "@trpc/server/observable"]));
    });

    it("declares the same router the monorepo sees", () => {
      const checkFile = path.join(buildDir, "same-router.ts");
      const routerSource = path.relative(buildDir, path.join(packageDir, "src", "router.ts"));
      writeFileSync(
        checkFile,
        `import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type * as built from "./dist/router.js";
import type * as source from "${routerSource.split(path.sep).join("/")}";
// Identity, not mutual assignability, so that "any" on either side fails.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const router: Same<built.AppRouter, source.AppRouter> = true;
export const inputs: Same<inferRouterInputs<built.AppRouter>, inferRouterInputs<source.AppRouter>> = true;
export const outputs: Same<inferRouterOutputs<built.AppRouter>, inferRouterOutputs<source.AppRouter>> = true;
export const errors: Same<built.ErrorShape, source.ErrorShape> = true;
`,
      );
      writeJson(path.join(buildDir, "tsconfig.json"), {
        extends: path.join(packageDir, "tsconfig.json"),
        compilerOptions: { noEmit: true },
        include: [],
        files: [checkFile],
      });
      const { status, output } = runTsc(path.join(buildDir, "tsconfig.json"));
      expect(output).toBe("");
      expect(status).toBe(0);
    });
  });
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
