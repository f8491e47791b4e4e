import type { Context as TraceContext, Tracer } from "@opentelemetry/api";
import type { DbClient } from "@tenantry/db";
import type { Logger } from "pino";
import type { ContentCache } from "./platform/content-cache.ts";
import type { AuthRuntime } from "./auth/auth-runtime.ts";
import type { ProcedureObserver, Transport } from "./observability/procedure-observer.ts";
import type { BillingProvider } from "./tenancy/billing.ts";
import type { TxtResolver } from "./tenancy/dns.ts";
import type { TenantFactsCache } from "./tenancy/tenant-facts-cache.ts";
import type { TenantResolver } from "./tenancy/tenant-resolver.ts";

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
  /** Which endpoint the call came through; unset for in-process callers. */
  transport?: Transport | undefined;
  /** The request's trace context (its span), which procedure spans hang under. */
  traceContext?: TraceContext | undefined;
  log: Logger;
  /** Client address as Express resolves it (honouring the configured proxy hops). */
  ip: string;
  userAgent: string | undefined;
  /** The raw `Accept-Language` header: the language of messages sent to someone with no stored locale. */
  acceptLanguage: string | undefined;
  /** The raw `Authorization` header; `authedProcedure` verifies it. */
  authorization: string | undefined;
  /** Host name the request was sent to (no port), for tenant resolution. */
  host: string | undefined;
  /** The raw `X-Tenant` header (tenant id or slug). */
  tenantHeader: string | undefined;
}

/** What tenant procedures need besides the database. */
export interface TenancyRuntime {
  resolver: TenantResolver;
  /** Module state, settings and plan per tenant; invalidate after committing a change to them. */
  facts: TenantFactsCache;
  dns: TxtResolver;
  billing: BillingProvider;
  /** Custom domains may not be this or under it. */
  platformDomain: string | undefined;
}

export interface ContextDependencies {
  db: DbClient;
  settings: ApiSettings;
  auth: AuthRuntime;
  tenancy: TenancyRuntime;
  /** Public reads of platform content; invalidate after committing a change to what is published. */
  contentCache: ContentCache;
  /** Told of every procedure call's outcome (the server's metrics). */
  observer?: ProcedureObserver | undefined;
  /** Set when tracing is on: every procedure call gets a span. */
  tracer?: Tracer | undefined;
}

/** What every procedure gets; `authedProcedure` adds the signed-in `actor`. */
export interface Context extends RequestFacts, ContextDependencies {}

export function createContextFactory(deps: ContextDependencies) {
  return (request: RequestFacts): Context => ({ ...request, ...deps });
}
