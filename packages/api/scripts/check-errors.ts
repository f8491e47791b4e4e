import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { createOpenApiDocument } from "../src/index.ts";
import { checkDeclaredErrors, type DocumentedCodes } from "./declared-errors/check-declared-errors.ts";

/**
 * `pnpm errors:check`: every REST procedure's `errors` must be exactly the app errors its code
 * can construct, and the OpenAPI document must list every one (see declared-errors/). Prints
 * each disagreement with its file and line, and fails on any.
 */
const root = path.resolve(import.meta.dirname, "../../..");

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => keep(name) && !name.endsWith(".test.ts"))
    .map((name) => path.join(dir, name));
}

const moduleIds = new Map<string, string>();
for (const dir of readdirSync(path.join(root, "modules"))) {
  const manifest = JSON.parse(readFileSync(path.join(root, "modules", dir, "manifest.json"), "utf8")) as { id: string };
  moduleIds.set(path.join(root, "modules", dir), manifest.id);
}

const moduleSdkRoutes = path.join(root, "packages/module-sdk/src/define-module.ts");
const routerFiles = [
  ...filesUnder(path.join(root, "packages/api/src"), (name) => name.endsWith(".router.ts")),
  ...[...moduleIds.keys()].flatMap((dir) => filesUnder(path.join(dir, "src"), (name) => name.endsWith(".ts"))),
  moduleSdkRoutes,
];

const { config } = ts.readConfigFile(path.join(root, "packages/api/tsconfig.json"), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.join(root, "packages/api"));
const program = ts.createProgram({ rootNames: routerFiles, options });

const document = createOpenApiDocument({ baseUrl: "/api/v1", version: "check" });
function documented(method: string, operationPath: string): DocumentedCodes | undefined {
  const operation = document.paths?.[operationPath]?.[method.toLowerCase() as "get"];
  if (!operation) return undefined;
  const codes: DocumentedCodes = new Map();
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const schema = (response as { content?: Record<string, { schema?: { allOf?: unknown[] } }> }).content?.["application/json"]
      ?.schema;
    const appCode = (schema?.allOf?.[1] as { properties?: { data?: { properties?: { appCode?: { enum?: string[] } } } } })
      ?.properties?.data?.properties?.appCode;
    if (appCode?.enum) codes.set(Number(status), new Set(appCode.enum));
  }
  return codes;
}

function servedPaths(file: string, routePath: string): string[] {
  if (file === moduleSdkRoutes) return [...moduleIds.values()].map((id) => `/modules/${id}${routePath}`);
  const moduleDir = [...moduleIds.keys()].find((dir) => file.startsWith(`${dir}${path.sep}`));
  return moduleDir ? [`/modules/${moduleIds.get(moduleDir)}${routePath}`] : [routePath];
}

const problems = checkDeclaredErrors({ program, files: routerFiles, documented, servedPaths });
for (const problem of problems) console.error(problem.replaceAll(`${root}${path.sep}`, ""));
if (problems.length > 0) {
  console.error(`\n${problems.length} procedure error declaration(s) disagree with the code.`);
  process.exit(1);
}
console.log("Every REST procedure declares exactly the app errors its code can throw.");
