import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/**
 * A failure the caller can act on. `code` is stable and machine-readable (clients switch on
 * it); `message` is for people. Services throw these; the error middleware turns them into
 * tRPC errors (and so HTTP statuses) in one place.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly trpcCode: TRPC_ERROR_CODE_KEY;
}

export class NotFoundError extends AppError {
  override name = "NotFoundError";
  readonly trpcCode = "NOT_FOUND" as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ConflictError extends AppError {
  override name = "ConflictError";
  readonly trpcCode = "CONFLICT" as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class BadInputError extends AppError {
  override name = "BadInputError";
  readonly trpcCode = "BAD_REQUEST" as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ContentNotFoundError extends NotFoundError {
  constructor(key: string, locale: string) {
    super("CONTENT_NOT_FOUND", `No published content "${key}" for locale "${locale}" or its fallbacks.`);
  }
}
