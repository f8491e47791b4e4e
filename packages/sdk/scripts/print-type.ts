import ts from "typescript";

/**
 * Writes a type out as plain TypeScript, structurally, so that the text needs no declaration from
 * the package it came from. Names survive only for TypeScript's built-in library types (`Date`,
 * `Map`, …) and for the types in `names`, which the caller declares or imports itself.
 *
 * Anything a JSON client cannot receive (functions, symbol keys, unresolved type parameters) or
 * that cannot be spelled out (recursive types) fails with the path where it was found, so the
 * build stops instead of shipping something vaguer than the server's type.
 */
export interface TypePrinterOptions {
  checker: ts.TypeChecker;
  program: ts.Program;
  /** Types to write by name rather than by structure. */
  names: ReadonlyMap<ts.Type, string>;
}

export function createTypePrinter({ checker, program, names }: TypePrinterOptions) {
  const inProgress = new Set<ts.Type>();

  function print(type: ts.Type, path: string, indent = "", omitName?: ts.Type): string {
    const name = type === omitName ? undefined : names.get(type);
    if (name) return name;
    const fail = (why: string): never => {
      throw new Error(`Cannot write the type at ${path} (${checker.typeToString(type)}): ${why}.`);
    };

    const f = type.flags;
    if (f & ts.TypeFlags.Any) return "any";
    if (f & ts.TypeFlags.Unknown) return "unknown";
    if (f & ts.TypeFlags.Never) return "never";
    if (f & ts.TypeFlags.Void) return "void";
    if (f & ts.TypeFlags.Undefined) return "undefined";
    if (f & ts.TypeFlags.Null) return "null";
    if (f & ts.TypeFlags.Boolean) return "boolean";
    if (f & ts.TypeFlags.String) return "string";
    if (f & ts.TypeFlags.Number) return "number";
    if (f & ts.TypeFlags.BigInt) return "bigint";
    if (f & ts.TypeFlags.ESSymbol) return "symbol";
    if (f & ts.TypeFlags.NonPrimitive) return "object";
    if (f & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
    if (type.isStringLiteral()) return JSON.stringify(type.value);
    if (type.isNumberLiteral()) return String(type.value);
    if (f & ts.TypeFlags.BigIntLiteral) return checker.typeToString(type);
    // Made only of primitives and literals, so TypeScript's own text is already self-contained.
    if (f & (ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping)) return checker.typeToString(type);
    if (type.isUnion()) return printUnion(type.types, path, indent);
    if (type.isIntersection()) {
      return type.types.map((t) => wrap(t, print(t, path, indent), ts.TypeFlags.Union)).join(" & ");
    }
    if (!(f & ts.TypeFlags.Object)) return fail("not a data type");

    if (inProgress.has(type)) return fail("it refers to itself; give it a name in src/router.ts");
    inProgress.add(type);
    try {
      return printObject(type as ts.ObjectType, path, indent, fail);
    } finally {
      inProgress.delete(type);
    }
  }

  function printUnion(types: readonly ts.Type[], path: string, indent: string): string {
    // TypeScript stores `boolean` as `false | true` and keeps `undefined` first; read it as people write it.
    const members = types.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral));
    const parts = members.map((t) => wrap(t, print(t, path, indent), ts.TypeFlags.Union | ts.TypeFlags.Intersection));
    if (members.length < types.length) parts.push("boolean");
    const nullish = (p: string) => p === "null" || p === "undefined";
    return [...parts.filter((p) => !nullish(p)), ...parts.filter(nullish)].join(" | ");
  }

  function printObject(type: ts.ObjectType, path: string, indent: string, fail: (why: string) => never): string {
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      const text = `${wrap(element!, print(element!, `${path}[]`, indent), ts.TypeFlags.Union | ts.TypeFlags.Intersection)}[]`;
      return type.symbol?.name === "ReadonlyArray" ? `readonly ${text}` : text;
    }
    if (checker.isTupleType(type)) return printTuple(type as ts.TupleTypeReference, path, indent);
    if (isBuiltIn(type)) return printBuiltIn(type, path, indent);

    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      return fail("functions do not travel over JSON");
    }
    const inner = `${indent}  `;
    const lines: string[] = [];
    for (const info of checker.getIndexInfosOfType(type)) {
      const key = print(info.keyType, path, inner);
      const value = print(info.type, `${path}[${key}]`, inner);
      lines.push(`${inner}${info.isReadonly ? "readonly " : ""}[key: ${key}]: ${value};`);
    }
    for (const property of checker.getPropertiesOfType(type)) {
      const key = property.getName();
      if (key.startsWith("__@")) fail(`property ${key} has a symbol key`);
      const optional = property.flags & ts.SymbolFlags.Optional ? "?" : "";
      const readonly = isReadonly(property) ? "readonly " : "";
      const value = print(checker.getTypeOfSymbol(property), `${path}.${key}`, inner);
      lines.push(`${docComment(property, checker, inner)}${inner}${readonly}${propertyName(key)}${optional}: ${value};`);
    }
    return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${indent}}`;
  }

  function printTuple(type: ts.TupleTypeReference, path: string, indent: string): string {
    const flags = type.target.elementFlags;
    const elements = checker.getTypeArguments(type).map((element, i) => {
      const flag = flags[i] ?? ts.ElementFlags.Required;
      const elementPath = `${path}[${i}]`;
      if (flag & ts.ElementFlags.Optional) {
        // `[a?: number]` reads as `number | undefined` inside; the `?` already says so.
        const present = element.isUnion() ? element.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined)) : [element];
        const text = present.length === 1 ? print(present[0]!, elementPath, indent) : printUnion(present, elementPath, indent);
        return `${present.length > 1 ? `(${text})` : wrap(present[0]!, text, ts.TypeFlags.Intersection)}?`;
      }
      const text = print(element, elementPath, indent);
      if (flag & ts.ElementFlags.Rest) return `...${wrap(element, text, ts.TypeFlags.Union | ts.TypeFlags.Intersection)}[]`;
      return text;
    });
    return `${type.target.readonly ? "readonly " : ""}[${elements.join(", ")}]`;
  }

  // `Date`, `Map<string, number>` and the like are global in every consumer; only their arguments need
  // printing. Library aliases such as `Record` or `Partial` are not: they are spelled out like any other.
  function isBuiltIn(type: ts.ObjectType): boolean {
    const symbol = type.symbol as ts.Symbol | undefined;
    if (!symbol || !(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) return false;
    const declarations = symbol.declarations ?? [];
    return declarations.length > 0 && declarations.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
  }

  function printBuiltIn(type: ts.ObjectType, path: string, indent: string): string {
    const name = type.symbol.getName();
    if (!(type.flags & ts.TypeFlags.Object) || !((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference)) {
      return name;
    }
    const reference = type as ts.TypeReference;
    const declared = reference.target.typeParameters?.length ?? 0;
    // The arguments of a class or interface end with its `this` type; that one is not written.
    const args = checker.getTypeArguments(reference).slice(0, declared);
    if (args.length === 0) return name;
    return `${name}<${args.map((a, i) => print(a, `${path}<${i}>`, indent)).join(", ")}>`;
  }

  function isReadonly(property: ts.Symbol): boolean {
    return (property.declarations ?? []).some((d) => (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly) !== 0);
  }

  function wrap(type: ts.Type, text: string, needsParens: ts.TypeFlags): string {
    return type.flags & needsParens && !names.has(type) && !(type.flags & ts.TypeFlags.Boolean) ? `(${text})` : text;
  }

  return { print };
}

/** `key` bare where that is valid TypeScript, quoted otherwise (ASCII-only check errs towards quoting). */
export function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** The symbol's JSDoc text as a comment line (with a line break), so editors still show it; "" if none. */
export function docComment(symbol: ts.Symbol, checker: ts.TypeChecker, indent: string): string {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  if (!text) return "";
  return `${indent}/** ${text.replaceAll("*/", "*\\/").split("\n").join(`\n${indent} * `)} */\n`;
}
