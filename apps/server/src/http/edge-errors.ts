import type { Request, Response } from "express";
import type { RefusalNote } from "../metrics/http-metrics.ts";

export interface EdgeRefusal {
  status: number;
  /** Stable code, as `data.appCode` of any procedure error. */
  appCode: string;
  message: string;
  /** The input field at fault, when one is. */
  field?: string | undefined;
  headers?: Record<string, string>;
}

/** The tRPC error code (`error.code`) and name (`data.code` upstream) for an HTTP status. */
const jsonRpcCodes: Record<number, number> = { 400: -32600, 404: -32004, 405: -32005, 413: -32013, 415: -32015, 503: -32603 };

/** How many calls a `/trpc` request names (`/trpc/a,b,c?batch=1` names three). */
export function trpcCallCount(req: Request): number {
  const path = req.path.replace(/^\//, "");
  try {
    return decodeURIComponent(path).split(",").length;
  } catch {
    // Broken percent-encoding (`%E0`): counted by its separators; the adapter refuses the rest.
    return path.replace(/%2c/gi, ",").split(",").length;
  }
}

/**
 * Refuses a request before any procedure runs, in the envelope its transport uses: the REST
 * error body (`{ code, message, data: { appCode, httpStatus, issues } }`) under `/api/v1` and
 * elsewhere, the tRPC one (`{ error: { code, message, data } }`, one per call of a batch) under
 * `/trpc`, so every client parses an edge refusal like any other error.
 */
export function refuse(req: Request, res: Response, refusal: EdgeRefusal): void {
  const data = {
    appCode: refusal.appCode,
    httpStatus: refusal.status,
    ...(refusal.field !== undefined ? { issues: [{ field: refusal.field, message: refusal.message }] } : {}),
  };
  const message = refusal.field ? `${refusal.field}: ${refusal.message}` : refusal.message;
  (res.locals as RefusalNote).refusedWith = refusal.appCode;
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
  res.status(refusal.status);
  if (req.baseUrl === "/trpc" || req.originalUrl.startsWith("/trpc/")) {
    const error = { error: { code: jsonRpcCodes[refusal.status] ?? -32600, message, data } };
    const batched = req.query.batch === "1" || req.query.batch === "true";
    res.json(batched ? Array.from({ length: trpcCallCount(req) }, () => error) : error);
    return;
  }
  res.json({ code: statusName(refusal.status), message, data });
}

function statusName(status: number): string {
  const names: Record<number, string> = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_SUPPORTED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    503: "SERVICE_UNAVAILABLE",
  };
  return names[status] ?? (status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
}
