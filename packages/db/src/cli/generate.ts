/**
 * `prisma generate` without network: the CLI only needs *a* schema-engine binary path to skip
 * its download; generation itself runs on the WASM schema parser inside the `prisma` package
 * and never starts that engine.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { defaultSchemaLocation } from "../migrations/migration-files.ts";

const require = createRequire(import.meta.url);
const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");

const result = spawnSync(
  process.execPath,
  [prismaCli, "generate", "--schema", defaultSchemaLocation.schemaPath],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  },
);
process.exit(result.status ?? 1);
