import ts from "typescript";
import { describe, expect, it } from "vitest";
import { checkDeclaredErrors, type DocumentedCodes } from "./check-declared-errors.ts";

/** A tiny project in memory: the error classes, a service, an interface, and a router file. */
const errorsFile = `
export class AppError {
  constructor(readonly trpcCode: string, readonly code: string, message: string) {}
}
export class NotFoundError extends AppError {
  constructor(code: string, message: string) { super("NOT_FOUND", code, message); }
}
export class ConflictError extends AppError {
  constructor(code: string, message: string) { super("CONFLICT", code, message); }
}
export class RateLimitedError extends AppError {
  constructor(readonly seconds: number) { super("TOO_MANY_REQUESTS", "RATE_LIMITED", "slow down"); }
}
export class ThingTakenError extends ConflictError {}
export interface Limiter {
  /** @throws {RateLimitedError} when over the limit. */
  consume(key: string): void;
}
`;

const serviceFile = `
import { NotFoundError, ConflictError, ThingTakenError, type Limiter } from "./errors.ts";
const missing = () => new NotFoundError("THING_NOT_FOUND", "no thing");
function find(id: string) { if (!id) throw missing(); return id; }
export function rename(id: string, limiter: Limiter) {
  limiter.consume(id);
  find(id);
  if (id === "x") throw new ThingTakenError("THING_TAKEN", "taken");
}
export function remove(id: string) { return [id].map(find); }
export function dynamic(code: string) { throw new ConflictError(code, "?"); }
`;

function check(router: string, documented: Record<string, Record<number, string[]>>): string[] {
  const files: Record<string, string> = { "/p/errors.ts": errorsFile, "/p/service.ts": serviceFile, "/p/router.ts": router };
  const options: ts.CompilerOptions = {
    noLib: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name, version) =>
    files[name] === undefined ? undefined : ts.createSourceFile(name, files[name], version, true);
  host.fileExists = (name) => files[name] !== undefined;
  host.readFile = (name) => files[name];
  host.directoryExists = (name) => name === "/p" || name === "/";
  const program = ts.createProgram({ rootNames: ["/p/router.ts"], options, host });
  return checkDeclaredErrors({
    program,
    files: ["/p/router.ts"],
    servedPaths: (_file, path) => [path],
    documented: (method, path) => {
      const codes = documented[`${method} ${path}`];
      if (!codes) return undefined;
      return new Map(Object.entries(codes).map(([status, list]) => [Number(status), new Set(list)])) as DocumentedCodes;
    },
  });
}

const route = (errors: string, resolver = "({ input, ctx }) => rename(input.id, ctx.limiter)") => `
import { rename, remove, dynamic } from "./service.ts";
declare const p: any; declare const rest: any;
export const r = {
  rename: p.meta(rest({ method: "POST", path: "/things/{id}", errors: ${errors} })).input(0).mutation(${resolver}),
};
`;

const full = { 404: ["THING_NOT_FOUND"], 409: ["THING_TAKEN"], 429: ["RATE_LIMITED"] };
const fullErrors = `{ 404: ["THING_NOT_FOUND"], 409: ["THING_TAKEN"], 429: ["RATE_LIMITED"] }`;

describe("checkDeclaredErrors", () => {
  it("agrees when the route declares what its code throws, through helpers, subclasses and @throws", () => {
    expect(check(route(fullErrors), { "POST /things/{id}": full })).toEqual([]);
  });

  it("follows a function passed as a callback", () => {
    const problems = check(route(`{}`, "({ input }) => remove(input.id)"), { "POST /things/{id}": {} });
    expect(problems).toEqual([expect.stringContaining("can throw 404 THING_NOT_FOUND")]);
  });

  it("names a code the code throws but the document does not list", () => {
    const problems = check(route(`{ 404: ["THING_NOT_FOUND"], 429: ["RATE_LIMITED"] }`), {
      "POST /things/{id}": { 404: ["THING_NOT_FOUND"], 429: ["RATE_LIMITED"] },
    });
    expect(problems).toEqual([
      expect.stringMatching(/router\.ts:5\): can throw 409 THING_TAKEN, which the document does not list/),
    ]);
  });

  it("names a declared code nothing throws", () => {
    const problems = check(route(`{ 404: ["THING_NOT_FOUND"], 409: ["THING_TAKEN", "STALE"], 429: ["RATE_LIMITED"] }`), {
      "POST /things/{id}": { ...full, 409: ["THING_TAKEN", "STALE"] },
    });
    expect(problems).toEqual([expect.stringContaining("declares 409 STALE, but nothing it runs throws it")]);
  });

  it("refuses a code that is not a literal, and a route the document lacks", () => {
    expect(() => check(route(`{}`, "() => dynamic('X')"), { "POST /things/{id}": {} })).toThrow(/cannot tell the app code/);
    expect(check(route(fullErrors), {})).toEqual([expect.stringContaining("no such operation in the OpenAPI document")]);
  });
});
