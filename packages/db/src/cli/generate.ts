/**
 * `prisma generate` without network, on the composed schema (core plus modules' models).
 *
 * The composed schema is written next to the generated client, with the generator's output
 * re-pointed there. The CLI only needs *a* schema-engine binary path to skip its download;
 * generation itself runs on the WASM schema parser inside the `prisma` package and never
 * starts that engine.
 */
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { readComposedSchema } from "../migrations/migration-files.ts";
import { findWorkspaceLayout } from "../workspace-layout.ts";

const require = createRequire(import.meta.url);
const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");

const generatedDir = path.resolve(import.meta.dirname, "../generated");
const composedSchemaPath = path.join(generatedDir, "schema.prisma");

const composed = await readComposedSchema(findWorkspaceLayout(import.meta.dirname));
const clientOutput = /(generator client \{[^}]*?output\s*=\s*)"([^"]+)"/;
if (!clientOutput.test(composed)) throw new Error("prisma/schema.prisma: the client generator needs an `output`.");
await mkdir(generatedDir, { recursive: true });
await writeFile(
  composedSchemaPath,
  `// Generated from prisma/schema.prisma and modules/*/prisma/*.prisma; edit those instead.\n${composed.replace(clientOutput, '$1"./prisma"')}`,
);

const result = spawnSync(process.execPath, [prismaCli, "generate", "--schema", composedSchemaPath], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
