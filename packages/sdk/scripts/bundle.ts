import path from "node:path";
import { build } from "esbuild";
import { allowedTypeImports } from "./check-declarations.ts";

/**
 * Bundles src/ into one ES module. tRPC stays an import (the consumer installs it); anything else
 * from outside src/ would drag server code into a frontend, so the bundle fails on it.
 */
export async function bundle(packageDir: string, outFile: string): Promise<void> {
  const result = await build({
    absWorkingDir: packageDir,
    entryPoints: ["src/index.ts"],
    outfile: outFile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: allowedTypeImports,
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
  });
  const strays = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("src/"));
  if (strays.length > 0) {
    throw new Error(`${path.relative(packageDir, outFile)} would contain code from outside src/: ${strays.join(", ")}`);
  }
}
