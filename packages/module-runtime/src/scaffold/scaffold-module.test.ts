import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaffoldModule, titleOf } from "./scaffold-module.ts";
import { moduleManifestSchema } from "@tenantry/module-sdk";

const root = path.resolve(import.meta.dirname, "../../../..");

/**
 * What `pnpm module:new` writes must work as written: it is scaffolded into a folder as deep
 * in the repository as modules/<id> (so its relative paths hold) but outside modules/ (so the
 * running build does not pick it up), then typechecked and its own test run, on both databases.
 */
describe("scaffoldModule", () => {
  const checkDir = path.join(root, `.scaffold-check-${randomBytes(4).toString("hex")}`);
  const id = "loyalty-points";
  let files: string[];

  beforeAll(async () => {
    await mkdir(checkDir);
    files = await scaffoldModule({ modulesDir: checkDir, id, coreRange: "^0.1.0" });
  });
  afterAll(async () => {
    await rm(checkDir, { recursive: true, force: true });
  });

  it("writes a manifest the platform accepts, and a package named for the codegen", async () => {
    expect(files.map((f) => path.relative(path.join(checkDir, id), f)).sort()).toEqual(
      [
        "manifest.json",
        "package.json",
        "src/index.ts",
        "src/procedures.ts",
        "src/settings.ts",
        "test/hello.test.ts",
        "tsconfig.json",
        "vitest.config.ts",
      ].sort(),
    );
    const manifest = moduleManifestSchema.parse(JSON.parse(await readFile(path.join(checkDir, id, "manifest.json"), "utf8")));
    expect(manifest).toMatchObject({ id, name: "Loyalty points", version: "0.1.0", core: "^0.1.0" });
    expect(JSON.parse(await readFile(path.join(checkDir, id, "package.json"), "utf8")).name).toBe(`@tenantry/module-${id}`);
  });

  it("typechecks", { timeout: 240_000 }, () => {
    const tsc = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(checkDir, id)], {
      encoding: "utf8",
    });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("passes its own test", { timeout: 240_000 }, () => {
    const vitest = spawnSync(
      process.execPath,
      [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--root", path.join(checkDir, id)],
      {
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    const output = stripVTControlCharacters(vitest.stdout + vitest.stderr);
    // Six tests: three on each database.
    expect(output, output).toMatch(new RegExp(`Tests\\s+${process.env.DATABASE_URL ? 6 : 3} passed`));
    expect(output).not.toMatch(/failed/);
    expect(vitest.status, output).toBe(0);
  });

  it("refuses ids the manifest would refuse, and an existing folder", async () => {
    await expect(scaffoldModule({ modulesDir: checkDir, id: "Loyalty", coreRange: "^0.1.0" })).rejects.toThrow(
      /must be kebab-case/,
    );
    await expect(scaffoldModule({ modulesDir: checkDir, id: "list", coreRange: "^0.1.0" })).rejects.toThrow(/is reserved/);
    await expect(scaffoldModule({ modulesDir: checkDir, id, coreRange: "^0.1.0" })).rejects.toThrow(/already exists/);
  });

  it("titles ids for people", () => {
    expect(titleOf("loyalty-points")).toBe("Loyalty points");
    expect(titleOf("shop")).toBe("Shop");
  });
});
