import ts from "typescript";

/** A procedure built with REST meta, as written in its router file. */
export interface RestProcedureSource {
  method: string;
  /** The `path` given to `rest(...)`: absolute for core routes, module-relative for a module's. */
  path: string;
  /** `errors` as written in the meta, status → codes; empty when there is none. */
  declared: Map<number, string[]>;
  /** The `.query(…)` / `.mutation(…)` argument: where its own errors come from. */
  resolver: ts.Expression;
  /** `file:line`, for messages. */
  location: string;
}

/**
 * Every `….meta(x.rest({ method, path, … })) … .query(resolver)` (or `.mutation`) chain in a
 * file. Meta not written inline as such an object literal is reported, so no procedure slips by.
 */
export function restProceduresIn(file: ts.SourceFile): RestProcedureSource[] {
  const found: RestProcedureSource[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const kind = node.expression.name.text;
      const resolver = node.arguments[0];
      if ((kind === "query" || kind === "mutation") && resolver) {
        const meta = restMetaOf(node.expression.expression);
        if (meta) found.push({ ...meta, resolver, location: locationOf(node) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The REST meta object of a builder chain, searched from its last call backwards. */
function restMetaOf(chain: ts.Expression): Omit<RestProcedureSource, "resolver" | "location"> | undefined {
  for (let link: ts.Expression = chain; ts.isCallExpression(link);) {
    const callee = link.expression;
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (callee.name.text === "meta") {
      const restCall = link.arguments[0];
      const literal = restCall && ts.isCallExpression(restCall) ? restCall.arguments[0] : undefined;
      if (!literal || !ts.isObjectLiteralExpression(literal)) return undefined;
      const method = stringProperty(literal, "method");
      const path = stringProperty(literal, "path");
      if (method === undefined || path === undefined) return undefined;
      return { method, path, declared: errorsProperty(literal) };
    }
    link = callee.expression;
  }
  return undefined;
}

function property(literal: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const element of literal.properties) {
    if (ts.isPropertyAssignment(element) && ts.isIdentifier(element.name) && element.name.text === name) {
      return element.initializer;
    }
  }
  return undefined;
}

function stringProperty(literal: ts.ObjectLiteralExpression, name: string): string | undefined {
  const value = property(literal, name);
  return value && ts.isStringLiteralLike(value) ? value.text : undefined;
}

function errorsProperty(literal: ts.ObjectLiteralExpression): Map<number, string[]> {
  const declared = new Map<number, string[]>();
  const errors = property(literal, "errors");
  if (!errors) return declared;
  if (!ts.isObjectLiteralExpression(errors)) {
    throw new Error(`${locationOf(errors)}: write \`errors\` inline ({ 404: ["…"] }) so it can be checked.`);
  }
  for (const element of errors.properties) {
    if (!ts.isPropertyAssignment(element) || !ts.isNumericLiteral(element.name)) continue;
    if (!ts.isArrayLiteralExpression(element.initializer)) continue;
    const codes = element.initializer.elements.filter(ts.isStringLiteralLike).map((code) => code.text);
    declared.set(Number(element.name.text), codes);
  }
  return declared;
}

export function locationOf(node: ts.Node): string {
  const file = node.getSourceFile();
  return `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}
