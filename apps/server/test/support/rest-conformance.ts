import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createOpenApiDocument } from "@tenantry/api";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * The response-conformance check: every answer a test server gives under `/api/v1` is checked
 * against the OpenAPI document the server serves: the operation (method and path template), a
 * status the operation documents, and a body that validates against that status's schema
 * (successes and errors alike). Mismatches are collected here; the HTTP suites' setup file
 * fails the test during which one was answered.
 */

export interface ConformanceMismatch {
  request: string;
  status: number;
  problem: string;
  body: string;
}

const restBase = "/api/v1";
const mismatches: ConformanceMismatch[] = [];

/** Mismatches answered since the last call (the setup file calls it after every test). */
export function takeConformanceMismatches(): ConformanceMismatch[] {
  return mismatches.splice(0);
}

interface DocumentedOperation {
  method: string;
  template: string;
  pattern: RegExp;
  statuses: Set<string>;
}

let checker:
  { operations: DocumentedOperation[]; validator(op: DocumentedOperation, status: string): ValidateFunction } | undefined;

function documentChecker() {
  if (checker) return checker;
  const document = createOpenApiDocument({ baseUrl: `http://localhost${restBase}`, version: "test" });
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats.default(ajv);
  ajv.addSchema(document, "openapi");
  const operations: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, { responses?: Record<string, unknown> }>)) {
      if (!operation?.responses) continue;
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`);
      operations.push({ method: method.toUpperCase(), template, pattern, statuses: new Set(Object.keys(operation.responses)) });
    }
  }
  const validators = new Map<string, ValidateFunction>();
  const pointer = (...tokens: string[]) =>
    tokens.map((t) => encodeURIComponent(t.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
  checker = {
    operations,
    validator(op, status) {
      const key = `${op.method} ${op.template} ${status}`;
      let validate = validators.get(key);
      if (!validate) {
        const ref = `openapi#/${pointer("paths", op.template, op.method.toLowerCase(), "responses", status, "content", "application/json", "schema")}`;
        validate = ajv.compile({ $ref: ref });
        validators.set(key, validate);
      }
      return validate;
    },
  };
  return checker;
}

function check(method: string, url: string, status: number, body: string): string | undefined {
  const path = url.split("?")[0]!.slice(restBase.length);
  if (path === "/openapi.json" || method === "HEAD" || method === "OPTIONS") return undefined;
  const { operations, validator } = documentChecker();
  const operation = operations.find((op) => op.method === method && op.pattern.test(path));
  // No operation: the edge's 404/405 for a route that does not exist, which no operation documents.
  if (!operation) return undefined;
  const documented = String(status);
  if (!operation.statuses.has(documented)) return `status ${status} is not documented for ${method} ${operation.template}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `the body is not JSON`;
  }
  const validate = validator(operation, documented);
  if (validate(parsed)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`).join("; ");
}

/** Checks one answer and keeps the mismatch, if any, for the test that received it. */
function record(method: string, url: string, status: number, body: string): void {
  const problem = check(method, url, status, body);
  if (problem) mismatches.push({ request: `${method} ${url}`, status, problem, body: body.slice(0, 500) });
}

/**
 * `fetch`, checking a REST answer the same way: for servers a test runs in a child process,
 * whose responses `observeRestConformance` cannot watch.
 */
export async function conformingFetch(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  const { pathname, search } = new URL(url);
  if (pathname.startsWith(`${restBase}/`)) {
    const method = (init?.method ?? "GET").toUpperCase();
    const body = await response.clone().text();
    record(method, pathname + search, response.status, body);
  }
  return response;
}

/** Watches every response `server` sends (test servers only; nothing in the app knows). */
export function observeRestConformance(server: Server): void {
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(`${restBase}/`)) return;
    // Express rewrites req.url below its mount point; the path as sent is kept here.
    const url = req.url;
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(
        typeof chunk === "string"
          ? Buffer.from(chunk, (typeof encoding === "string" ? encoding : "utf8") as BufferEncoding)
          : Buffer.from(chunk as Uint8Array),
      );
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as ServerResponse["write"];
    res.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      const body = Buffer.concat(chunks).toString("utf8");
      record(method, url, res.statusCode, body);
      return end(...args);
    }) as ServerResponse["end"];
  });
}
