import type { RequestHandler } from "express";

/**
 * Refuses a declared body larger than the limit before anything reads it. Chunked bodies
 * without a length are capped by the tRPC and REST adapters' own `maxBodySize`.
 */
export function bodyLimit(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      res.setHeader("Connection", "close");
      res.status(413).json({
        code: "PAYLOAD_TOO_LARGE",
        message: `Request body is ${declared} bytes; the limit is ${maxBytes}.`,
        data: { appCode: "PAYLOAD_TOO_LARGE", httpStatus: 413 },
      });
      return;
    }
    next();
  };
}
