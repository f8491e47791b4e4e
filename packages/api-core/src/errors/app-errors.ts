import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/**
 * A failure the caller can act on. `code` is stable and machine-readable (clients switch on
 * it); `message` is for people; `trpcCode` picks the tRPC code and so the HTTP status.
 * Services throw these; the error middleware turns them into tRPC errors in one place.
 */
export class AppError extends Error {
  constructor(
    readonly trpcCode: TRPC_ERROR_CODE_KEY,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 404: the thing asked for does not exist (or the caller may not know it does). */
export class NotFoundError extends AppError {
  constructor(code: string, message: string) {
    super("NOT_FOUND", code, message);
  }
}

/** 409: the request clashes with the current state (a duplicate, a stale version). */
export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super("CONFLICT", code, message);
  }
}

/** 400: well-formed input that the domain refuses (a cursor it never issued, a bad reference). */
export class BadInputError extends AppError {
  constructor(code: string, message: string) {
    super("BAD_REQUEST", code, message);
  }
}

/**
 * 503 with `Retry-After`: the database cannot be reached right now (a restart, a failover). The
 * request did not happen; retrying shortly is the right move, for clients and load balancers.
 */
export class DatabaseUnavailableAppError extends AppError {
  /** Seconds to wait before retrying: recovery after a restart takes well under one. */
  readonly retryAfterSeconds = 1;
  /** `cause`: the driver's error, for the log. */
  constructor(cause?: unknown) {
    super("SERVICE_UNAVAILABLE", "DATABASE_UNAVAILABLE", "The database is unavailable for a moment; retry shortly.");
    this.cause = cause;
  }
}

export class ContentNotFoundError extends NotFoundError {
  constructor(key: string, locale: string) {
    super("CONTENT_NOT_FOUND", `No published content "${key}" for locale "${locale}" or its fallbacks.`);
  }
}
