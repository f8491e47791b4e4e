import type { ErrorRequestHandler, RequestHandler } from "express";

/** Same body shape as procedure errors, so clients parse one format. */
function errorBody(code: string, appCode: string, httpStatus: number, message: string) {
  return { code, message, data: { appCode, httpStatus } };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody("NOT_FOUND", "ROUTE_NOT_FOUND", 404, `No route for ${req.method} ${req.path}.`));
};

/** Last resort for errors outside procedures (bad JSON to a plain route, a bug in middleware). */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) req.log?.error({ err: error }, "unhandled error");
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(status)
    .json(
      status === 500
        ? errorBody("INTERNAL_SERVER_ERROR", "INTERNAL_ERROR", 500, "Internal server error.")
        : errorBody("BAD_REQUEST", "BAD_REQUEST", status, String(error.message ?? "Bad request.")),
    );
};
