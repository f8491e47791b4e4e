import type { TRPCError } from "@trpc/server";
import type { Logger } from "pino";

/** One log line in this many milliseconds for a database outage, however many requests hit it. */
const outageLogIntervalMs = 10_000;

/**
 * The one place procedure failures are logged, for both transports (their adapters' `onError`,
 * which also sees errors raised before any procedure ran, such as a body the REST adapter could
 * not read). Internal errors are logged with their cause and the procedure path; an outage of
 * the database is logged as a warning, at most once per interval; what the caller did wrong
 * (4xx) is already in the request's own log line.
 */
export function procedureErrorLogger() {
  let lastOutageLog = 0;
  return ({ error, path, req }: { error: TRPCError; path: string | undefined; req: { log: Logger } }) => {
    const appCode = (error.cause as { code?: unknown } | undefined)?.code;
    if (appCode === "DATABASE_UNAVAILABLE") {
      const now = Date.now();
      if (now - lastOutageLog >= outageLogIntervalMs) {
        lastOutageLog = now;
        req.log.warn({ err: error.cause?.cause ?? error.cause, path }, "database unavailable: answering 503 until it is back");
      }
      return;
    }
    if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
  };
}
