import type ts from "typescript";
import { restProceduresIn, type RestProcedureSource } from "./rest-procedures.ts";
import { thrownCodes } from "./thrown-codes.ts";

/** What the OpenAPI document lists for an operation: status → app codes. */
export type DocumentedCodes = Map<number, Set<string>>;

export interface CheckInput {
  program: ts.Program;
  /** Router files to read (others in the program are only followed into). */
  files: readonly string[];
  /** The document's codes for `METHOD /path`, or undefined when it has no such operation. */
  documented(method: string, path: string): DocumentedCodes | undefined;
  /**
   * Where a procedure of this file is served: its own path for core routers, under
   * `/modules/<id>` for a module's (every module's, for the module SDK's generic routes).
   */
  servedPaths(file: string, path: string): string[];
}

/**
 * Holds each REST procedure's declared errors to what its code can throw: every app error its
 * resolver can construct must be in the document (declared in `errors`, or implied by its
 * builders and the edge), and every code in `errors` must be one the resolver can construct.
 * Returns the problems, each naming the file and line and the fix; none means they agree.
 */
export function checkDeclaredErrors({ program, files, documented, servedPaths }: CheckInput): string[] {
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  for (const fileName of files) {
    const file = program.getSourceFile(fileName);
    if (!file) throw new Error(`${fileName} is not part of the program`);
    for (const procedure of restProceduresIn(file)) {
      problems.push(...checkProcedure(checker, procedure, documented, servedPaths(fileName, procedure.path)));
    }
  }
  return problems;
}

function checkProcedure(
  checker: ts.TypeChecker,
  procedure: RestProcedureSource,
  documented: CheckInput["documented"],
  paths: string[],
): string[] {
  const name = `${procedure.method} ${procedure.path} (${procedure.location})`;
  const thrown = thrownCodes(checker, procedure.resolver);
  const problems: string[] = [];
  const operations = paths.map((path) => documented(procedure.method, path)).filter((codes) => codes !== undefined);
  if (operations.length === 0) return [`${name}: no such operation in the OpenAPI document`];

  for (const codes of operations) {
    const missing = thrown.filter(({ status, code }) => !codes.get(status)?.has(code));
    if (missing.length > 0) {
      problems.push(
        `${name}: can throw ${missing.map(({ status, code }) => `${status} ${code}`).join(", ")}, which the document ` +
          "does not list; declare them in the route's `errors`.",
      );
    }
  }
  const thrownKeys = new Set(thrown.map(({ status, code }) => `${status} ${code}`));
  for (const [status, codes] of procedure.declared) {
    for (const code of codes) {
      if (!thrownKeys.has(`${status} ${code}`)) {
        problems.push(`${name}: declares ${status} ${code}, but nothing it runs throws it; remove it from \`errors\`.`);
      }
    }
  }
  return problems;
}
