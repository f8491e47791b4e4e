/**
 * `pnpm module:new <id>`: scaffolds modules/<id>, then makes it part of the build the way any
 * module is: @tenantry/api's dependency on it (the module map imports it), the codegen step,
 * an install to link the new workspace package, and the SDK build so frontends get its types.
 */
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { scaffoldModule } from "../src/scaffold/scaffold-module.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const id = process.argv[2];
if (!id || process.argv.length > 3) {
  console.error("Usage: pnpm module:new <id>   (kebab-case, e.g. loyalty-points)");
  process.exit(2);
}

const readJson = async (file: string) => JSON.parse(await readFile(path.join(root, file), "utf8")) as Record<string, unknown>;
const coreVersion = String((await readJson("apps/server/package.json")).version);
const [major, minor] = coreVersion.split(".");
const packageManager = String((await readJson("package.json")).packageManager);

/** pnpm as it was invoked (`pnpm …` or `npx pnpm@… …`), else the version the repository pins. */
function pnpm(args: string[]): void {
  const execPath = process.env.npm_execpath;
  const [command, commandArgs] =
    execPath && /pnpm/.test(path.basename(execPath))
      ? [process.execPath, [execPath, ...args]]
      : ["npx", ["-y", packageManager, ...args]];
  console.log(`\n$ pnpm ${args.join(" ")}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`pnpm ${args.join(" ")} failed (exit ${result.status}); fix that and run it again.`);
    process.exit(1);
  }
}

try {
  const files = await scaffoldModule({ modulesDir: path.join(root, "modules"), id, coreRange: `^${major}.${minor}.0` });
  console.log(`Created modules/${id}:\n${files.map((f) => `  ${path.relative(root, f)}`).join("\n")}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

// The generated module map imports the new package, so the API package depends on it.
const apiManifestFile = path.join(root, "packages/api/package.json");
const apiManifest = (await readJson("packages/api/package.json")) as { dependencies: Record<string, string> };
apiManifest.dependencies = Object.fromEntries(
  Object.entries({ ...apiManifest.dependencies, [`@tenantry/module-${id}`]: "workspace:*" }).sort(([a], [b]) =>
    a.localeCompare(b),
  ),
);
await writeFile(apiManifestFile, `${JSON.stringify(apiManifest, null, 2)}\n`);

pnpm(["modules:generate"]);
pnpm(["install"]);
pnpm(["--filter", "@tenantry/sdk", "build"]);

console.log(`
The ${id} module is in the build: AppRouter.modules["${id}"], the SDK, and /api/v1/modules/${id}/… in openapi.json.
Next:
  pnpm --filter @tenantry/module-${id} test     its test, on PGlite (and PostgreSQL with DATABASE_URL set)
  pnpm start:demo                                 then enable it for a tenant on the pro plan:
                                                  POST /api/v1/tenant/modules/${id}/enable
Tables of its own: add modules/${id}/prisma/models.prisma, then pnpm db:migrate:create --name ${id.replace(/-/g, "_")}.
See docs/modules.md.`);
