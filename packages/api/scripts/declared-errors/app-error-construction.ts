import ts from "typescript";

/** tRPC's error codes an `AppError` may carry, by the HTTP status the REST bridge answers. */
const statusOfTrpcCode: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export interface ThrownCode {
  status: number;
  code: string;
}

/** A construction whose code is not a literal anywhere along its constructors. */
export class UnknownCodeError extends Error {}

export type Value = string | undefined;

/**
 * The status and app code `new SomeError(...)` carries, when `SomeError` is `AppError` or extends
 * it; null for any other class. Follows each constructor's `super(...)` call up to `AppError`,
 * substituting the literal arguments given (or the parameters' literal defaults), so
 * `new NotFoundError("DOMAIN_NOT_FOUND", …)` and `new PhoneBlockedError()` are both read exactly.
 */
export function appErrorConstruction(checker: ts.TypeChecker, node: ts.NewExpression): ThrownCode | null {
  const classDeclaration = classOf(checker, node.expression);
  if (!classDeclaration) return null;
  return appErrorOfClass(checker, classDeclaration, (node.arguments ?? []).map(literalValue), node);
}

/**
 * The status and code of constructing `classDeclaration` with `args` (string literals, or
 * undefined where not literal), or null when it is no `AppError`; `at` is for messages.
 */
export function appErrorOfClass(
  checker: ts.TypeChecker,
  classDeclaration: ts.ClassLikeDeclaration,
  args: Value[],
  at: ts.Node,
): ThrownCode | null {
  if (!extendsAppError(checker, classDeclaration)) return null;
  const [trpcCode, code] = evaluate(checker, classDeclaration, args);
  const status = trpcCode === undefined ? undefined : statusOfTrpcCode[trpcCode];
  if (status === undefined || code === undefined) {
    const file = at.getSourceFile();
    const where = file.getLineAndCharacterOfPosition(at.getStart());
    throw new UnknownCodeError(
      `${file.fileName}:${where.line + 1}: cannot tell the app code of \`${at.getText()}\`; ` +
        "pass the code as a string literal so the OpenAPI document can list it.",
    );
  }
  return { status, code };
}

/** The class an expression (a `new` target, a `@throws {Type}`) names, if it is one. */
export function classOf(checker: ts.TypeChecker, expression: ts.Node): ts.ClassLikeDeclaration | undefined {
  let symbol = checker.getSymbolAtLocation(expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.find(ts.isClassLike);
}

function parentClass(checker: ts.TypeChecker, declaration: ts.ClassLikeDeclaration) {
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
  const base = heritage?.types[0]?.expression;
  return base ? classOf(checker, base) : undefined;
}

function extendsAppError(checker: ts.TypeChecker, declaration: ts.ClassLikeDeclaration): boolean {
  for (let current: ts.ClassLikeDeclaration | undefined = declaration; current; current = parentClass(checker, current)) {
    if (current.name?.text === "AppError") return true;
  }
  return false;
}

/** `[trpcCode, code]` of constructing `declaration` with `args` (undefined where not literal). */
function evaluate(checker: ts.TypeChecker, declaration: ts.ClassLikeDeclaration, args: Value[]): [Value, Value] {
  if (declaration.name?.text === "AppError") return [args[0], args[1]];
  const parent = parentClass(checker, declaration);
  if (!parent) return [undefined, undefined];
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  // No constructor of its own: the arguments go to the parent's unchanged.
  if (!constructor?.body) return evaluate(checker, parent, args);
  const parameters = new Map<string, Value>();
  constructor.parameters.forEach((parameter, index) => {
    if (!ts.isIdentifier(parameter.name)) return;
    const given = args[index];
    const fallback = parameter.initializer ? literalValue(parameter.initializer) : undefined;
    parameters.set(parameter.name.text, given ?? fallback);
  });
  const superCall = findSuperCall(constructor.body);
  if (!superCall) return [undefined, undefined];
  const superArgs = superCall.arguments.map((argument) =>
    ts.isIdentifier(argument) ? parameters.get(argument.text) : literalValue(argument),
  );
  return evaluate(checker, parent, superArgs);
}

function findSuperCall(body: ts.Block): ts.CallExpression | undefined {
  for (const statement of body.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const call = statement.expression;
    if (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword) return call;
  }
  return undefined;
}

function literalValue(expression: ts.Expression): Value {
  return ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression) ? expression.text : undefined;
}
