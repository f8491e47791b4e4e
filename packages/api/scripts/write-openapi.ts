import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createOpenApiDocument } from "../src/index.ts";
import manifest from "../package.json" with { type: "json" };

/**
 * Writes the OpenAPI document the server serves to a file, for the linters (`pnpm openapi:lint`)
 * and for client generators: `tsx packages/api/scripts/write-openapi.ts <file>`. The server URL
 * is relative (`/api/v1`), as a server without PUBLIC_URL serves it.
 */
const target = path.resolve(process.argv[2] ?? "openapi/openapi.json");
const document = createOpenApiDocument({ baseUrl: "/api/v1", version: manifest.version });
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`OpenAPI document written to ${path.relative(process.cwd(), target)}`);
