import type { Answer } from "./fuzz-send.ts";

/**
 * What every answer to a fuzz input must be, whatever the input: below 500, free of stack traces
 * and source paths, and, when it is an error, in the REST error envelope the API documents
 * (`{ code, message, data: { appCode, httpStatus } }`, see src/http/edge-errors.ts and the tRPC
 * error formatter in packages/api-core/src/trpc.ts).
 */

/** Signs that an error's insides reached the client. */
const leaks: Array<[RegExp, string]> = [
  // A frame after a real newline, or after an escaped one inside a JSON string.
  [/(?:\n|\\n)\s*at [\w$.<>\s]*\(?[^\s)]*:\d+:\d+\)?/, "a stack frame"],
  [/"stack"\s*:/, 'a "stack" field'],
  [/\/src\/|\/node_modules\//, "a source path"],
  [/\.(ts|js|mjs|cjs):\d+/, "a file:line reference"],
  [/\b(Prisma|PrismaClient|pg_catalog|SQLSTATE|duplicate key value|violates \w+ constraint)\b/, "database internals"],
  [/\b(TypeError|ReferenceError|RangeError|SyntaxError): /, "a JavaScript error message"],
];

/**
 * Statuses answered before our code runs, without our envelope: Node's HTTP parser refuses a
 * request line or headers larger than it reads (431) with an empty body.
 */
const bareStatuses = new Set([431]);

/** The problems with one answer (empty: the answer is fine). */
export function judge(answer: Answer): string[] {
  if (answer.error !== undefined) return [`no answer: ${answer.error}`];
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  for (const [pattern, what] of leaks) if (pattern.test(answer.text)) problems.push(`body shows ${what}`);
  if (answer.status < 400 || bareStatuses.has(answer.status)) return problems;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, "error body is not JSON"];
  }
  const { code, message, data } = (body ?? {}) as {
    code?: unknown;
    message?: unknown;
    data?: { appCode?: unknown; httpStatus?: unknown };
  };
  if (typeof code !== "string" || code === "") problems.push("error body has no `code`");
  if (typeof message !== "string" || message === "") problems.push("error body has no `message`");
  if (typeof data?.appCode !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(data.appCode))
    problems.push("error body has no stable `data.appCode`");
  if (data?.httpStatus !== answer.status) problems.push(`error body's data.httpStatus is ${String(data?.httpStatus)}`);
  return problems;
}

/** The app code of an error answer, for the per-operation tally. */
export function appCodeOf(answer: Answer): string | undefined {
  try {
    return (JSON.parse(answer.text) as { data?: { appCode?: string } }).data?.appCode;
  } catch {
    return undefined;
  }
}
