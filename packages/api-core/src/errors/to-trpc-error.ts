import {
  ForeignKeyConstraintError,
  isDatabaseUnavailable,
  RecordNotFoundError,
  UniqueConstraintError,
  UnstorableValueError,
  WriteConflictError,
} from "@tenantry/db";
import { TRPCError } from "@trpc/server";
import { AppError, BadInputError, ConflictError, DatabaseUnavailableAppError, NotFoundError } from "./app-errors.ts";
import { VALIDATION_FAILED } from "./error-codes.ts";

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `items.0.quantity`; empty for the whole input. */
  field: string;
  message: string;
}

/** Raised for input that fails its zod schema; keeps the issues for the error shape. */
export class InputValidationError extends Error {
  override name = "InputValidationError";
  readonly code = VALIDATION_FAILED;
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; ") || "Invalid input.");
  }
}

interface ZodLikeError extends Error {
  issues: Array<{ path: PropertyKey[]; message: string }>;
}

function isZodError(error: unknown): error is ZodLikeError {
  return error instanceof Error && error.name === "ZodError" && Array.isArray((error as ZodLikeError).issues);
}

/** Database and domain failures that are the caller's to fix, as AppErrors. */
function fromDatabaseError(error: unknown): AppError | undefined {
  if (error instanceof UniqueConstraintError) {
    return new ConflictError("ALREADY_EXISTS", error.message);
  }
  if (error instanceof ForeignKeyConstraintError) {
    return new BadInputError("REFERENCE_INVALID", error.message);
  }
  if (error instanceof RecordNotFoundError) {
    return new NotFoundError("NOT_FOUND", error.message);
  }
  // A deadlock's victim (e.g. an order placed while its tenant is deleted): nothing was kept,
  // and the same request may succeed when sent again. The caller's to retry, not a server fault.
  if (error instanceof WriteConflictError) {
    return new ConflictError("WRITE_CONFLICT", `${error.message} Nothing was changed; send the request again.`);
  }
  // Also errors thrown outside a query (a transaction that cannot begin), not only typed ones.
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableAppError(error);
  if (error instanceof UnstorableValueError) {
    return new BadInputError(error.reason === "nul-character" ? "INVALID_TEXT" : "VALUE_OUT_OF_RANGE", error.message);
  }
  return undefined;
}

/**
 * The one mapping from what a procedure threw to what the client sees: domain errors keep
 * their code and message, zod input errors name the fields, everything else stays internal.
 */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (error.code === "BAD_REQUEST" && isZodError(cause)) {
    const issues = cause.issues.map((issue) => ({
      field: issue.path.map(String).join("."),
      message: issue.message,
    }));
    const validation = new InputValidationError(issues);
    return new TRPCError({ code: "BAD_REQUEST", message: validation.message, cause: validation });
  }
  if (cause instanceof InputValidationError) {
    return new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
  }
  const appError = cause instanceof AppError ? cause : fromDatabaseError(cause);
  if (appError) {
    return new TRPCError({ code: appError.trpcCode, message: appError.message, cause: appError });
  }
  return error;
}
