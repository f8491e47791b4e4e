import type { DbClient } from "@tenantry/db";
import type { Logger } from "pino";

/** Settings procedures need, handed over by the server's config; never read from env here. */
export interface ApiSettings {
  /** Locale served when the requested one has no content. */
  defaultLocale: string;
  /** Development only: internal error messages and stack traces in error responses. */
  exposeErrorDetails: boolean;
}

/** What every procedure gets. Later issues add the signed-in actor and the tenant. */
export interface Context {
  requestId: string;
  log: Logger;
  db: DbClient;
  settings: ApiSettings;
}

export interface ContextDependencies {
  db: DbClient;
  settings: ApiSettings;
}

/** Per-request facts the transport knows (the server's request-id and logger middleware). */
export interface RequestFacts {
  requestId: string;
  log: Logger;
}

export function createContextFactory(deps: ContextDependencies) {
  return (request: RequestFacts): Context => ({ ...request, ...deps });
}
