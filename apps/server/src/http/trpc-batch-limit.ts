import type { RequestHandler } from "express";
import { refuse, trpcCallCount } from "./edge-errors.ts";

const separatedPaths = /,|%2c/i;

/**
 * One HTTP request may carry at most `maxCalls` tRPC calls, so no request can hold the database
 * for more than a bounded amount of work; larger batches are refused before any call runs. The
 * SDK batches at most this many (its `maxItems`).
 */
export function trpcBatchLimit(maxCalls: number): RequestHandler {
  return (req, res, next) => {
    // One call unless the path lists several (`a,b`, maybe encoded): most requests stop here.
    if (!separatedPaths.test(req.path)) {
      next();
      return;
    }
    const calls = trpcCallCount(req);
    if (calls > maxCalls) {
      refuse(req, res, {
        status: 400,
        appCode: "BATCH_TOO_LARGE",
        message: `A batch may hold at most ${maxCalls} calls; this one holds ${calls}. Send them in several requests.`,
      });
      return;
    }
    next();
  };
}
