import type { TRPCError } from "@trpc/server";
import { RateLimitedError } from "../rate-limit/rate-limiter.ts";

/**
 * Headers a response needs because of its errors: `Retry-After` on 429s (the longest wait
 * when a batch has several). Both transports call this from their `responseMeta`.
 */
export function headersForErrors(errors: readonly TRPCError[]): Record<string, string> {
  const waits = errors.flatMap((e) => (e.cause instanceof RateLimitedError ? [e.cause.retryAfterSeconds] : []));
  return waits.length > 0 ? { "Retry-After": String(Math.max(...waits)) } : {};
}
