import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { flattenRouterModule } from "./flatten-router.ts";

/**
 * Writes a .d.ts for every file in `src/`. TypeScript emits all of them except src/router.ts,
 * whose emitted form would still import the server's packages; that one is flattened instead.
 * Fails on any type error in the SDK's sources, so a broken build never writes half a dist.
 */
export function emitDeclarations(packageDir: string, outDir: string): string[] {
  const srcDir = path.join(packageDir, "src");
  const routerFile = path.join(srcDir, "router.ts");
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(packageDir, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => fail([d]),
    },
  );
  if (!config) throw new Error("Cannot read tsconfig.json.");
  const sources = config.fileNames.filter((f) => f.startsWith(srcDir + path.sep));

  const program = ts.createProgram({
    rootNames: sources,
    options: {
      ...config.options,
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      rootDir: srcDir,
      outDir,
    },
  });

  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    written.push(file);
  };
  const diagnostics: ts.Diagnostic[] = [];
  for (const file of sources) {
    const source = program.getSourceFile(file)!;
    diagnostics.push(...ts.getPreEmitDiagnostics(program, source));
    if (file === routerFile) continue;
    const emitted = program.emit(source, write, undefined, true, { afterDeclarations: [rewriteTsSpecifiers] });
    diagnostics.push(...emitted.diagnostics);
  }
  if (diagnostics.length > 0) fail(diagnostics);

  write(path.join(outDir, "router.d.ts"), flattenRouterModule(program, routerFile));
  return written.sort();
}

/**
 * The sources import siblings as `./client.ts` (the monorepo's convention); TypeScript keeps that
 * in declarations, where a consumer needs `./client.js`.
 */
const rewriteTsSpecifiers: ts.TransformerFactory<ts.SourceFile | ts.Bundle> = (context) => {
  const { factory } = context;
  const rewrite = (specifier: ts.Expression | undefined) =>
    specifier && ts.isStringLiteral(specifier) && /^\.\.?\/.*\.ts$/.test(specifier.text)
      ? factory.createStringLiteral(specifier.text.replace(/\.ts$/, ".js"))
      : specifier;
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node)) {
      return factory.updateImportDeclaration(
        node,
        node.modifiers,
        node.importClause,
        rewrite(node.moduleSpecifier)!,
        node.attributes,
      );
    }
    if (ts.isExportDeclaration(node)) {
      return factory.updateExportDeclaration(
        node,
        node.modifiers,
        node.isTypeOnly,
        node.exportClause,
        rewrite(node.moduleSpecifier),
        node.attributes,
      );
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = rewrite(node.argument.literal as ts.Expression) as ts.StringLiteral;
      return factory.updateImportTypeNode(
        node,
        factory.updateLiteralTypeNode(node.argument, literal),
        node.attributes,
        node.qualifier,
        node.typeArguments,
        node.isTypeOf,
      );
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (root) => (ts.isSourceFile(root) ? (ts.visitEachChild(root, visit, context) as ts.SourceFile) : root);
};

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  throw new Error(
    ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => "\n",
    }),
  );
}
