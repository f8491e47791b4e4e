import type { TRPCError } from "@trpc/server";
import { DatabaseUnavailableAppError } from "../errors/app-errors.ts";
import { RateLimitedError } from "../rate-limit/rate-limiter.ts";

/**
 * Headers a response needs because of its errors: `Retry-After` on 429s and on 503s when the
 * database is out of reach (the longest wait when a batch has several). Both transports call
 * this from their `responseMeta`.
 */
export function headersForErrors(errors: readonly TRPCError[]): Record<string, string> {
  const waits = errors.flatMap((e) =>
    e.cause instanceof RateLimitedError || e.cause instanceof DatabaseUnavailableAppError ? [e.cause.retryAfterSeconds] : [],
  );
  return waits.length > 0 ? { "Retry-After": String(Math.max(...waits)) } : {};
}
