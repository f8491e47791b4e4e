import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** The only packages a consumer of the SDK installs besides it. */
export const allowedTypeImports = ["@trpc/client", "@trpc/server"];

/**
 * Fails unless every declaration file imports only its siblings and tRPC, and pulls in no type
 * library (a `/// <reference types="node" />` would make every frontend install @types/node).
 */
export function checkDeclarations(files: string[]): void {
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const info = ts.preProcessFile(text, true, true);
    for (const { fileName } of [...info.importedFiles, ...info.referencedFiles]) {
      if (fileName.startsWith(".")) {
        const target = path.resolve(path.dirname(file), fileName.replace(/\.js$/, ".d.ts"));
        if (!existsSync(target)) problems.push(`${file}: imports ${fileName}, which is not in the output`);
      } else if (!allowedTypeImports.some((p) => fileName === p || fileName.startsWith(`${p}/`))) {
        problems.push(`${file}: imports ${fileName}`);
      }
    }
    for (const reference of [...info.typeReferenceDirectives, ...info.libReferenceDirectives]) {
      problems.push(`${file}: references ${reference.fileName}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`The declarations are not self-contained:\n  ${problems.join("\n  ")}`);
  }
}
