export { appRouter, type AppRouter } from "./root.ts";
export { createCallerFactory, type ErrorData, type Meta } from "./trpc.ts";
export {
  createContextFactory,
  type ApiSettings,
  type Context,
  type RequestFacts,
  type TenancyRuntime,
} from "./context.ts";
export {
  TenantResolver,
  reservedSubdomains,
  type CacheInvalidation,
  type InvalidationBus,
} from "./tenancy/tenant-resolver.ts";
export { systemTxtResolver, type TxtResolver } from "./tenancy/dns.ts";
export { manualBilling, type BillingProvider } from "./tenancy/billing.ts";
export { permissions } from "./tenancy/permissions.ts";
export { createOpenApiDocument, type OpenApiOptions } from "./openapi.ts";
export { AppError } from "./errors/app-errors.ts";
export { authPolicy, type AuthRuntime } from "./auth-runtime.ts";
export { createRateLimiter, RateLimitedError, type RateLimiter } from "./rate-limit/rate-limiter.ts";
export { rateLimitRules } from "./rate-limit/rules.ts";
export { headersForErrors } from "./http/response-meta.ts";
export { purgeExpiredAuthRecords, purgeIntervalMs, type PurgeResult } from "./services/auth/expired-records.ts";
