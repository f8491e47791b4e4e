import ts from "typescript";
import { appErrorConstruction, appErrorOfClass, classOf, type ThrownCode } from "./app-error-construction.ts";

/**
 * Every app error a function can throw: the `AppError`s it constructs, and those of every
 * function of ours it reaches — called, or passed along as a callback — however deep. Code in
 * `node_modules` and in declaration files is not followed. A call through an interface
 * (`ctx.auth.limiter.consume`) has no body to follow: its declaration says what it throws with
 * JSDoc `@throws {RateLimitedError}`. (The builders' and the HTTP edge's codes are not found
 * here: the document derives those from the procedure's meta.)
 *
 * Over-approximates on purpose: an error constructed and then caught counts. A procedure that
 * never lets one escape says so by not constructing it.
 */
export function thrownCodes(checker: ts.TypeChecker, entry: ts.Node): ThrownCode[] {
  const found = new Map<string, ThrownCode>();
  const visited = new Set<ts.Node>();
  const pending: ts.Node[] = [entry];

  const record = (thrown: ThrownCode | null) => {
    if (thrown) found.set(`${thrown.status} ${thrown.code}`, thrown);
  };
  const follow = (expression: ts.Expression) => {
    for (const declaration of ownDeclarationsAt(checker, expression)) {
      const body = functionOf(declaration)?.body;
      if (body) {
        if (!visited.has(body)) pending.push(body);
      } else {
        for (const thrown of declaredThrows(checker, declaration)) record(thrown);
      }
    }
  };

  while (pending.length > 0) {
    const node = pending.pop()!;
    if (visited.has(node)) continue;
    visited.add(node);
    const visit = (child: ts.Node): void => {
      if (ts.isNewExpression(child)) {
        record(appErrorConstruction(checker, child));
      } else if (ts.isCallExpression(child)) {
        follow(child.expression);
      } else if (ts.isIdentifier(child) && !isDeclarationName(child)) {
        // A function handed over by name (`.map(toDto)`, `withTransaction(ctx, work)`).
        follow(child);
      }
      ts.forEachChild(child, visit);
    };
    visit(node);
  }
  return [...found.values()];
}

/** The declarations in our own source (not node_modules, not .d.ts) an expression names. */
function ownDeclarationsAt(checker: ts.TypeChecker, expression: ts.Expression): ts.Declaration[] {
  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(expression) ? expression.name : expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return (symbol?.declarations ?? []).filter((declaration) => {
    const file = declaration.getSourceFile();
    return !file.isDeclarationFile && !file.fileName.includes("/node_modules/");
  });
}

/** The app errors an interface member's `@throws {SomeError}` tags name. */
function declaredThrows(checker: ts.TypeChecker, declaration: ts.Declaration): ThrownCode[] {
  const thrown: ThrownCode[] = [];
  for (const tag of ts.getJSDocTags(declaration)) {
    if (!ts.isJSDocThrowsTag(tag) || !tag.typeExpression) continue;
    const type = tag.typeExpression.type;
    const errorClass = ts.isTypeReferenceNode(type) ? classOf(checker, type.typeName) : undefined;
    if (!errorClass) throw new Error(`${tag.getSourceFile().fileName}: @throws ${type.getText()} names no class in scope`);
    const code = appErrorOfClass(checker, errorClass, [], tag);
    if (code) thrown.push(code);
  }
  return thrown;
}

function functionOf(declaration: ts.Declaration): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration)) && declaration.initializer) {
    const initializer = declaration.initializer;
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

function isDeclarationName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (
    (ts.isVariableDeclaration(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isImportSpecifier(parent) ||
      ts.isPropertyAccessExpression(parent)) &&
    parent.name === identifier
  );
}
