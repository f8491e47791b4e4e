import ts from "typescript";
import { createTypePrinter, docComment, propertyName } from "./print-type.ts";

/** tRPC's procedure types by procedure kind, as `@trpc/server` exports them. */
const procedureTypeNames: Record<string, string> = {
  query: "TRPCQueryProcedure",
  mutation: "TRPCMutationProcedure",
  subscription: "TRPCSubscriptionProcedure",
};

/** `@trpc/server` types that may stand for themselves in the output instead of being spelled out. */
const trpcTypeNames = ["TRPC_ERROR_CODE_NUMBER", "TRPC_ERROR_CODE_KEY"];

/**
 * Writes the exports of `routerFile` (src/router.ts) as a self-contained .d.ts: every type spelled
 * out, importing nothing but tRPC's own. The type-level projection in that file has already
 * replaced the server's context and metadata; this step removes the references to the server's
 * packages that TypeScript's declaration emit would keep (`import("@tenantry/api")…`).
 */
export function flattenRouterModule(program: ts.Program, routerFile: string): string {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(routerFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${routerFile} is not a module of the program.`);

  const exports = checker.getExportsOfModule(moduleSymbol).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (isGeneric(target)) throw new Error(`${routerFile}: export ${symbol.name} is generic; export only concrete types.`);
    return { name: symbol.name, symbol: target, type: checker.getDeclaredTypeOfSymbol(target) };
  });

  // Written by name wherever they occur. Never a bare primitive: `type Slug = string` would rename every string.
  const nameable = ts.TypeFlags.Object | ts.TypeFlags.Union | ts.TypeFlags.Intersection;
  const names = new Map<ts.Type, string>(exports.filter((e) => e.type.flags & nameable).map((e) => [e.type, e.name]));
  const usedImports = new Set<string>();
  for (const [name, type] of trpcTypes(checker, source)) names.set(type, name);
  const printer = createTypePrinter({ checker, program, names });

  const property = (type: ts.Type, key: string, path: string): ts.Type => {
    const symbol = type.getProperty(key);
    if (!symbol) throw new Error(`Expected ${path}.${key} on ${checker.typeToString(type)}.`);
    return checker.getTypeOfSymbol(symbol);
  };

  // tRPC marks its definitions: `_def.router: true` on routers, `_def.procedure: true` on procedures
  // (a router's `_def` also lists `procedure?: never`, so the marker's type is what counts).
  const isMarked = (type: ts.Type, marker: "router" | "procedure") => {
    const def = type.getProperty("_def");
    const flag = def && checker.getTypeOfSymbol(def).getProperty(marker);
    return !!flag && checker.typeToString(checker.getTypeOfSymbol(flag)) === "true";
  };
  const isRouter = (type: ts.Type) => isMarked(type, "router");
  const isProcedure = (type: ts.Type) => isMarked(type, "procedure");

  function printRouter(router: ts.Type, path: string): string {
    const def = property(router, "_def", path);
    const root = property(property(def, "_config", path), "$types", path);
    usedImports.add("TRPCBuiltRouter");
    return `TRPCBuiltRouter<${printer.print(root, `${path} root types`)}, ${printRecord(property(def, "record", path), path, "")}>`;
  }

  function printRecord(record: ts.Type, path: string, indent: string): string {
    const inner = `${indent}  `;
    const lines = checker.getPropertiesOfType(record).map((entry) => {
      const type = checker.getTypeOfSymbol(entry);
      const entryPath = `${path}.${entry.name}`;
      const value = isProcedure(type) ? printProcedure(type, entryPath, inner) : printRecord(type, entryPath, inner);
      return `${inner}${propertyName(entry.name)}: ${value};`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  }

  function printProcedure(procedure: ts.Type, path: string, indent: string): string {
    const def = property(procedure, "_def", path);
    const kind = property(def, "type", path);
    const typeName = kind.isStringLiteral() ? procedureTypeNames[kind.value] : undefined;
    if (!typeName) throw new Error(`${path}: unknown procedure kind ${checker.typeToString(kind)}.`);
    usedImports.add(typeName);
    const types = property(def, "$types", path);
    const inner = `${indent}  `;
    const fields = [
      ["input", property(types, "input", path)],
      ["output", property(types, "output", path)],
      ["meta", property(procedure, "meta", path)],
      ["errorShape", property(types, "errorShape", path)],
    ] as const;
    const lines = fields.map(([key, type]) => `${inner}${key}: ${printer.print(type, `${path} ${key}`, inner)};`);
    return `${typeName}<{\n${lines.join("\n")}\n${indent}}>`;
  }

  const declarations = exports.map(({ name, symbol, type }) => {
    const text = isRouter(type) ? printRouter(type, name) : printer.print(type, name, "", type);
    return `${docComment(symbol, checker, "")}export type ${name} = ${text};`;
  });
  for (const name of trpcTypeNames) {
    if (declarations.some((d) => new RegExp(`\\b${name}\\b`).test(d))) usedImports.add(name);
  }

  const imports = [...usedImports].sort();
  return [
    "// Generated from src/router.ts by scripts/build.ts. Do not edit.",
    `import type { ${imports.join(", ")} } from "@trpc/server";`,
    "",
    ...declarations.flatMap((d) => [d, ""]),
  ].join("\n");
}

function isGeneric(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some(
    (d) => (ts.isTypeAliasDeclaration(d) || ts.isInterfaceDeclaration(d)) && (d.typeParameters?.length ?? 0) > 0,
  );
}

/** The declared types of `trpcTypeNames`, found through src/router.ts's own import of `@trpc/server`. */
function trpcTypes(checker: ts.TypeChecker, source: ts.SourceFile): Map<string, ts.Type> {
  const found = new Map<string, ts.Type>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (statement.moduleSpecifier.text !== "@trpc/server") continue;
    const trpc = checker.getSymbolAtLocation(statement.moduleSpecifier);
    for (const symbol of trpc ? checker.getExportsOfModule(trpc) : []) {
      if (!trpcTypeNames.includes(symbol.name)) continue;
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      found.set(symbol.name, checker.getDeclaredTypeOfSymbol(target));
    }
  }
  return found;
}
