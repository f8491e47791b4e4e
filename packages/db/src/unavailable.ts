/**
 * The database cannot be reached or is going away (a restart, a failover, a full pool): the
 * request may succeed if retried shortly, so callers answer 503, not 500.
 */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(options?: { cause?: unknown }) {
    super("The database is unavailable.", options);
  }
}

/** Prisma's codes for a server it cannot reach, a timeout, a closed connection, a pool timeout. */
const prismaCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Driver adapter error kinds for the same. */
const adapterKinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** SQLSTATE classes: 08 connection exception, 57P01–57P03 shutdown or starting up, 53300 too many connections. */
const sqlStates = /^(08...|57P0[123]|53300)$/;
/** What `pg` and Node say when a connection dies under a query. */
const socketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);
const messages =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
}

/** True when `error`, or anything in its `cause` chain, says the database is unavailable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error as ErrorLike | undefined; current && typeof current === "object" && !seen.has(current);) {
    seen.add(current);
    if (current instanceof DatabaseUnavailableError) return true;
    const adapterCause = current.meta?.driverAdapterError?.cause;
    if (
      typeof current.code === "string" &&
      (prismaCodes.has(current.code) || socketCodes.has(current.code) || sqlStates.test(current.code))
    ) {
      return true;
    }
    if (typeof adapterCause?.kind === "string" && adapterKinds.has(adapterCause.kind)) return true;
    if (typeof adapterCause?.originalCode === "string" && sqlStates.test(adapterCause.originalCode)) return true;
    if (typeof current.message === "string" && messages.test(current.message)) return true;
    current = current.cause as ErrorLike | undefined;
  }
  return false;
}
