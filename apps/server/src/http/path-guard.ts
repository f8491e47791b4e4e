import type { RequestHandler } from "express";
import { refuse } from "./edge-errors.ts";

/**
 * A path is taken as sent: `DELETE /api/v1/tenant/domains/%2e%2e` must not become
 * `DELETE /api/v1/tenant`. URL parsers resolve `.` and `..` segments, percent-encoded ones
 * included, so any such segment is refused before routing, and so are encoded slashes and
 * backslashes, which no route of ours contains and which some layers would split on.
 */
const dotSegment = /(^|\/)(\.|%2e){1,2}(?=\/|$)/i;
const encodedSeparator = /%(2f|5c)/i;

export const refuseAmbiguousPaths: RequestHandler = (req, res, next) => {
  const raw = req.originalUrl.split("?")[0] ?? "";
  if (dotSegment.test(raw) || encodedSeparator.test(raw) || raw.includes("\\")) {
    refuse(req, res, {
      status: 400,
      appCode: "INVALID_PATH",
      message: "The path may not contain `.` or `..` segments or encoded slashes; send the path the route names.",
    });
    return;
  }
  next();
};
