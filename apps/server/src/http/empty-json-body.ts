import type { RequestHandler } from "express";

/**
 * The REST adapter insists on `Content-Type: application/json` for every POST, PATCH and DELETE,
 * even for actions without parameters (`POST /auth/sign-out`). A request that sends no body at
 * all is treated as an empty JSON object instead of being refused with 415.
 */
export const emptyJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (req.method !== "GET" && req.method !== "HEAD" && !hasBody && !req.headers["content-type"]) {
    req.headers["content-type"] = "application/json";
    (req as { body?: unknown }).body = {};
  }
  next();
};
