// @ts-check
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** @typedef {{ name: string; dir: string }} TestedPackage */

/**
 * The workspace packages that have tests (a `test` script), under apps/, packages/ and modules/
 * of `root`: the projects of `pnpm test` (vitest.config.ts) and what `.ci/sum-test-results.mjs`
 * expects to have run.
 * @param {string} root
 * @returns {TestedPackage[]}
 */
export function testedPackages(root) {
  return ["apps", "packages", "modules"].flatMap((group) =>
    existsSync(path.join(root, group))
      ? readdirSync(path.join(root, group)).flatMap((name) => {
          const dir = path.join(root, group, name);
          const manifest = path.join(dir, "package.json");
          if (!existsSync(manifest)) return [];
          const pkg = JSON.parse(readFileSync(manifest, "utf8"));
          return pkg.scripts?.test ? [{ name: pkg.name, dir }] : [];
        })
      : [],
  );
}
