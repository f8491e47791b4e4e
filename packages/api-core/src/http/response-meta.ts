import type { AnyTRPCRouter, TRPCError } from "@trpc/server";
import { listProcedures } from "../trpc/router-procedures.ts";
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

/**
 * The REST bridge's `responseMeta`: `201 Created` for a procedure whose route says it creates
 * (`created: true`) and that succeeded, and the error headers above. (tRPC answers keep 200:
 * its clients read the body, and a batch has one status for several calls.)
 */
export function restResponseMeta(router: AnyTRPCRouter) {
  const creating = new Set(listProcedures(router).flatMap((p) => (p.meta?.created ? [p.path] : [])));
  return ({ paths, errors }: { paths?: readonly string[] | undefined; errors: readonly TRPCError[] }) => ({
    headers: headersForErrors(errors),
    ...(errors.length === 0 && paths?.length === 1 && creating.has(paths[0]!) ? { status: 201 } : {}),
  });
}
