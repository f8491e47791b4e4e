import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const serverDir = fileURLToPath(new URL("..", import.meta.url));

/**
 * Packages that read their own files at run time (WebAssembly, a native binary, a worker
 * script, a data file opened through `require`) cannot live inside a bundle: they stay imports,
 * and each is a dependency of this package so that it resolves from `dist/`.
 */
export const runtimeExternals = [
  "@electric-sql/pglite",
  "@prisma/schema-engine-wasm",
  "@zxcvbn-ts/language-common",
  "argon2",
  "pino",
  "pino-pretty",
  "swagger-ui-dist",
  // pg's optional native binding, never installed: pg falls back to JavaScript without it.
  "pg-native",
];

/**
 * The processes the server ships (the server, the migration CLI, the seed, the admin grant), and the package's
 * entry (`startServer` and friends), through which the HTTP suites drive the build.
 */
const entryPoints = {
  main: "src/main.ts",
  db: "src/cli/db.ts",
  seed: "src/cli/seed.ts",
  "grant-admin": "src/cli/grant-admin.ts",
  index: "src/index.ts",
};

/**
 * One ES module per entry, with every workspace package and most libraries inside it. Node
 * loads one ~11 MB file in ~0.25 s, where resolving and compiling the ~1,300 files it is made
 * of (or transpiling TypeScript through tsx, ~6 s) took far longer. Not minified: stack traces
 * keep readable names.
 */
export async function buildServer(outDir = path.join(serverDir, "dist")): Promise<void> {
  // Imported here: `--if-stale` mostly finds nothing to do and should not pay for loading it.
  const { build } = await import("esbuild");
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: serverDir,
    entryPoints,
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    external: runtimeExternals.flatMap((name) => [name, `${name}/*`]),
    // Bundled CommonJS libraries call `require` for Node's built-ins; an ES module has none.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    legalComments: "none",
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "warning",
    metafile: true,
  });
  // What went into the build, for `--if-stale` to compare against next time.
  writeFileSync(path.join(outDir, inputsFile), JSON.stringify(Object.keys(result.metafile.inputs)));
  const size = statSync(path.join(outDir, "main.js")).size;
  console.log(
    `built ${path.relative(process.cwd(), outDir) || "."}/{${Object.keys(entryPoints).join(",")}}.js (main ${(size / 1e6).toFixed(1)} MB)`,
  );
}

const inputsFile = "build-inputs.json";

/**
 * Whether `dist/` is older than any file that went into it (or missing). A check of ~1,300
 * file times: `pnpm start:demo` rebuilds only after an edit.
 */
export function isStale(outDir = path.join(serverDir, "dist")): boolean {
  try {
    const built = Math.min(...Object.keys(entryPoints).map((name) => statSync(path.join(outDir, `${name}.js`)).mtimeMs));
    const inputs = JSON.parse(readFileSync(path.join(outDir, inputsFile), "utf8")) as string[];
    return inputs.some(
      (input) => (statSync(path.resolve(serverDir, input), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > built,
    );
  } catch {
    return true;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--if-stale") && !isStale()) {
    console.log("dist/ is up to date");
  } else {
    await buildServer();
  }
}
