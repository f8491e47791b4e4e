import { TRPCClientError } from "@trpc/client";
import type { AppRouter, ErrorData } from "./router.ts";

/** What a failed call rejects with; `data` is missing when no response came (e.g. network down). */
export type TenantryClientError = TRPCClientError<AppRouter>;

/** A failure the server reported, with its `data.appCode`; switch on that, not on the message. */
export function isTenantryError(error: unknown): error is TenantryClientError & { data: ErrorData } {
  return error instanceof TRPCClientError && typeof error.data?.appCode === "string";
}

export { TRPCClientError };
