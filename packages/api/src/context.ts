import type { DbClient } from "@tenantry/db";
import type { Logger } from "pino";
import type { AuthRuntime } from "./auth-runtime.ts";

/** Settings procedures need, handed over by the server's config; never read from env here. */
export interface ApiSettings {
  /** Locale served when the requested one has no content. */
  defaultLocale: string;
  /** Development only: internal error messages and stack traces in error responses. */
  exposeErrorDetails: boolean;
}

/** Per-request facts the transport knows. */
export interface RequestFacts {
  requestId: string;
  log: Logger;
  /** Client address as Express resolves it (honouring the configured proxy hops). */
  ip: string;
  userAgent: string | undefined;
  /** The raw `Authorization` header; `authedProcedure` verifies it. */
  authorization: string | undefined;
}

export interface ContextDependencies {
  db: DbClient;
  settings: ApiSettings;
  auth: AuthRuntime;
}

/** What every procedure gets; `authedProcedure` adds the signed-in `actor`. */
export interface Context extends RequestFacts, ContextDependencies {}

export function createContextFactory(deps: ContextDependencies) {
  return (request: RequestFacts): Context => ({ ...request, ...deps });
}
