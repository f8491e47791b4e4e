import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "./bundle.ts";
import { checkDeclarations } from "./check-declarations.ts";
import { emitDeclarations } from "./emit-declarations.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/**
 * Writes `outDir/index.js` and self-contained declarations (`index.d.ts` and its siblings).
 * Tests build into a temporary folder, so they never race with a consumer reading `dist/`.
 */
export async function build(outDir = path.join(packageDir, "dist")): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const javascript = bundle(packageDir, path.join(outDir, "index.js"));
  checkDeclarations(emitDeclarations(packageDir, outDir));
  await javascript;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build();
}
