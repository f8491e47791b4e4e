import type { ErrorRequestHandler, RequestHandler } from "express";
import { refuse } from "./edge-errors.ts";

export const notFound: RequestHandler = (req, res) => {
  refuse(req, res, { status: 404, appCode: "ROUTE_NOT_FOUND", message: `No route for ${req.method} ${req.path}.` });
};

/** What the body parser reports, as the API's stable codes. */
const bodyParserErrors: Record<string, { status: number; appCode: string; message: string }> = {
  "entity.parse.failed": { status: 400, appCode: "MALFORMED_REQUEST", message: "The body is not valid JSON." },
  "entity.too.large": { status: 413, appCode: "PAYLOAD_TOO_LARGE", message: "The body is larger than the server accepts." },
  "request.size.invalid": { status: 400, appCode: "MALFORMED_REQUEST", message: "The body is shorter than its Content-Length." },
  "request.aborted": { status: 400, appCode: "MALFORMED_REQUEST", message: "The body was cut off." },
  "encoding.unsupported": { status: 415, appCode: "UNSUPPORTED_MEDIA_TYPE", message: "Unsupported content encoding." },
  "charset.unsupported": { status: 415, appCode: "UNSUPPORTED_MEDIA_TYPE", message: "Send JSON as UTF-8." },
};

/**
 * Last resort for errors outside procedures (a body that does not parse, a bug in middleware),
 * in the same envelope as procedure errors. A 500 is logged with its error, once.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const known = typeof error?.type === "string" ? bodyParserErrors[error.type as string] : undefined;
  const status =
    known?.status ?? (typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500);
  if (status >= 500) req.log?.error({ err: error }, "unhandled error");
  if (res.headersSent) {
    res.end();
    return;
  }
  if (known) {
    refuse(req, res, known);
    return;
  }
  refuse(
    req,
    res,
    status >= 500
      ? { status: 500, appCode: "INTERNAL_ERROR", message: "Internal server error." }
      : { status, appCode: "BAD_REQUEST", message: String(error?.message ?? "Bad request.") },
  );
};
