import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./router.ts";

export { createClient, maxCallsPerBatch, type ClientOptions, type FetchFunction, type TenantryClient } from "./client.ts";
export { isTenantryError, TRPCClientError, type TenantryClientError } from "./errors.ts";
export type { HeaderOptions, HeaderRecord, HeaderValue } from "./headers.ts";
export type { AppRouter, ErrorData, ErrorShape } from "./router.ts";
export { appCodes, type AppCode } from "./app-codes.ts";
export { createSession, isSignedOutError, SignedOutError, type Session, type SessionOptions, type Tokens } from "./session.ts";

/** Inputs by procedure path, e.g. `RouterInputs["platform"]["content"]["get"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Outputs as the client receives them (JSON: dates are ISO strings). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
