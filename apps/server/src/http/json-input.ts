import express, { type RequestHandler } from "express";
import { refuse } from "./edge-errors.ts";

export interface JsonInputLimits {
  /** Largest body, in bytes. */
  maxBytes: number;
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
}

interface Problem {
  appCode: "INPUT_TOO_DEEP" | "INVALID_TEXT";
  message: string;
  field: string;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Walks a parsed JSON value without recursion (so depth itself cannot overflow the stack) and
 * reports the first problem: nesting deeper than `maxDepth`, or a string (value or key) holding
 * a lone UTF-16 surrogate, which is not text: PostgreSQL refuses it in JSON and UTF-8 cannot
 * encode it. `skipTop` drops the batch index from field names of a tRPC batch.
 */
export function findInputProblem(value: unknown, maxDepth: number, skipTop = false): Problem | undefined {
  const stack: Array<{ value: unknown; path: string[]; depth: number }> = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    const field = (skipTop ? path.slice(1) : path).join(".");
    if (typeof current === "string") {
      if (loneSurrogate.test(current)) {
        return { appCode: "INVALID_TEXT", field, message: "contains a lone UTF-16 surrogate (e.g. \\ud800), which is not text" };
      }
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (depth >= maxDepth) {
      // Named by the input field it starts in: the full path would be the problem itself.
      const topField = field.split(".")[0] ?? "";
      return { appCode: "INPUT_TOO_DEEP", field: topField, message: `nests arrays and objects deeper than ${maxDepth} levels` };
    }
    for (const [key, child] of Object.entries(current)) {
      if (loneSurrogate.test(key)) {
        return { appCode: "INVALID_TEXT", field, message: "has a key with a lone UTF-16 surrogate, which is not text" };
      }
      stack.push({ value: child, path: [...path, key], depth: depth + 1 });
    }
  }
  return undefined;
}

const jsonContentType = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Every JSON input of `/trpc` and `/api/v1`, checked once at the edge before any procedure runs:
 * bodies are parsed here and handed to the adapters as `req.body` (a body that is not declared
 * JSON is refused: this API speaks JSON only); tRPC's GET inputs (`?input=`) are checked the same
 * way. Too deep or not text: 400 with a stable code naming the field.
 */
export function jsonInput(limits: JsonInputLimits): RequestHandler[] {
  const parse = express.json({ limit: limits.maxBytes, strict: false, type: () => true });
  const check: RequestHandler = (req, res, next) => {
    const batched = req.query.batch === "1" || req.query.batch === "true";
    const inputs: unknown[] = [];
    if (req.body !== undefined) inputs.push(req.body);
    const queryInput = req.baseUrl === "/trpc" ? req.query.input : undefined;
    if (typeof queryInput === "string") {
      try {
        inputs.push(JSON.parse(queryInput));
      } catch {
        refuse(req, res, { status: 400, appCode: "MALFORMED_REQUEST", message: "`input` is not JSON." });
        return;
      }
    }
    for (const input of inputs) {
      const problem = findInputProblem(input, limits.maxDepth, batched);
      if (problem) {
        refuse(req, res, { status: 400, ...problem, field: problem.field || undefined });
        return;
      }
    }
    // tRPC takes a string `req.body` for the raw body text, so a body that is a JSON string
    // ("x") is handed back as text, not as the parsed string.
    if (req.baseUrl === "/trpc" && typeof req.body === "string") req.body = JSON.stringify(req.body);
    next();
  };
  const parseBody: RequestHandler = (req, res, next) => {
    const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
    if (!hasBody) {
      next();
      return;
    }
    if (!jsonContentType.test(req.headers["content-type"] ?? "")) {
      refuse(req, res, {
        status: 415,
        appCode: "UNSUPPORTED_MEDIA_TYPE",
        message: "Send the body as JSON, with `Content-Type: application/json`.",
      });
      return;
    }
    parse(req, res, next);
  };
  return [parseBody, check];
}
