import { DatabaseUnavailableError, isDatabaseUnavailable } from "./unavailable.ts";

/**
 * Database failures that callers are expected to handle, as typed errors instead of Prisma's
 * codes. The API maps them to client errors; anything else stays an internal error.
 */
export class UniqueConstraintError extends Error {
  override name = "UniqueConstraintError";
  constructor(
    /** Columns (or constraint name) that clashed, as far as the driver tells. */
    readonly fields: string[],
    readonly model?: string,
  ) {
    super(`A ${model ?? "record"} with this ${fields.join(", ") || "value"} already exists.`);
  }
}

export class ForeignKeyConstraintError extends Error {
  override name = "ForeignKeyConstraintError";
  constructor(readonly model?: string) {
    super(`The ${model ?? "record"} refers to something that does not exist or is still in use.`);
  }
}

export class RecordNotFoundError extends Error {
  override name = "RecordNotFoundError";
  constructor(readonly model?: string) {
    super(`${model ?? "Record"} not found.`);
  }
}

/**
 * The transaction lost a deadlock or a serialisation conflict and was rolled back (Prisma's
 * P2034: SQLSTATE 40P01 or 40001). Nothing it did was kept; the same request may be sent again.
 */
export class WriteConflictError extends Error {
  override name = "WriteConflictError";
  constructor(readonly model?: string) {
    super("The change collided with a concurrent change of the same data and was rolled back.");
  }
}

/** A value PostgreSQL cannot store: text with a NUL character, a date outside its range. */
export class UnstorableValueError extends Error {
  override name = "UnstorableValueError";
  constructor(
    readonly reason: "nul-character" | "out-of-range",
    readonly model?: string,
  ) {
    super(
      reason === "nul-character"
        ? "Text may not contain the NUL character (\\u0000)."
        : "A value is outside the range the database can store.",
    );
  }
}

/** SQLSTATEs of values the caller sent that the database cannot hold. */
const unstorableCodes: Record<string, UnstorableValueError["reason"]> = {
  "22021": "nul-character", // invalid byte sequence for encoding "UTF8": 0x00
  "22P05": "nul-character", // unsupported Unicode escape sequence (\u0000 in jsonb)
  "22008": "out-of-range", // datetime field overflow
  "22003": "out-of-range", // numeric value out of range
};

interface PrismaKnownError {
  code: string;
  meta?: {
    modelName?: string;
    target?: string[] | string;
    driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string }; originalCode?: string } };
  };
}

function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return (
    error instanceof Error &&
    error.name === "PrismaClientKnownRequestError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

function constraintFields(meta: PrismaKnownError["meta"]): string[] {
  const constraint = meta?.driverAdapterError?.cause?.constraint;
  if (constraint?.fields) return constraint.fields.map((f) => f.replace(/^"|"$/g, ""));
  if (constraint?.index) return [columnsOfIndex(constraint.index, meta?.modelName)];
  if (Array.isArray(meta?.target)) return meta.target;
  return typeof meta?.target === "string" ? [meta.target] : [];
}

/**
 * adapter-pg reports only the index name, e.g. `tenant_domains_domain_key`. Our indexes keep
 * Prisma's default names (`<table>_<columns>_key`) and our tables are the snake_case model
 * name, pluralised or not, so the table prefix can be cut off to name the columns.
 */
function columnsOfIndex(index: string, model: string | undefined): string {
  const withoutSuffix = index.replace(/_(key|idx)$/, "");
  if (!model) return withoutSuffix;
  const table = model.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase();
  for (const prefix of [`${table}s_`, `${table}_`]) {
    if (withoutSuffix.startsWith(prefix)) return withoutSuffix.slice(prefix.length);
  }
  return withoutSuffix;
}

/**
 * Turns the Prisma errors that mean "bad input" into domain errors, and those that mean the
 * database is out of reach into DatabaseUnavailableError; returns others as they are.
 */
export function toDomainError(error: unknown): unknown {
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError({ cause: error });
  if (!isPrismaKnownError(error)) return error;
  const model = error.meta?.modelName;
  switch (error.code) {
    case "P2002":
      return new UniqueConstraintError(constraintFields(error.meta), model);
    case "P2003":
      return new ForeignKeyConstraintError(model);
    case "P2025":
      return new RecordNotFoundError(model);
    case "P2034":
      return new WriteConflictError(model);
    default: {
      const reason = unstorableCodes[error.meta?.driverAdapterError?.cause?.originalCode ?? ""];
      return reason ? new UnstorableValueError(reason, model) : error;
    }
  }
}
