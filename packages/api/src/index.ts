export { appRouter, type AppRouter, type RouterInputs, type RouterOutputs } from "./root.ts";
export {
  createCallerFactory,
  listProcedures,
  procedureKinds,
  routerRootConfig,
  type ErrorData,
  type Meta,
  type ProcedureInfo,
} from "@tenantry/api-core";
export { createContextFactory, type ApiSettings, type Context, type RequestFacts, type TenancyRuntime } from "@tenantry/api-core";
export type { ProcedureObserver, ProcedureOutcome, Transport } from "@tenantry/api-core";
export {
  ContentCache,
  TenantFactsCache,
  TenantResolver,
  reservedSubdomains,
  type CacheInvalidation,
  type InvalidationBus,
} from "@tenantry/api-core";
export { systemTxtResolver, type TxtResolver } from "@tenantry/api-core";
export { manualBilling, type BillingProvider } from "@tenantry/api-core";
export { permissions } from "@tenantry/api-core";
export { createOpenApiDocument, type OpenApiOptions } from "./openapi/document.ts";
export { appCodes } from "./openapi/app-codes.ts";
export { AppError } from "@tenantry/api-core";
export { authPolicy, type AuthRuntime } from "@tenantry/api-core";
export { createRateLimiter, RateLimitedError, type RateLimiter, type RateLimitRule } from "@tenantry/api-core";
export { rateLimitRules } from "@tenantry/api-core";
export { headersForErrors, lazyLogger, restResponseMeta } from "@tenantry/api-core";
export { purgeExpiredRecords, purgeIntervalMs, type PurgeResult } from "./auth/expired-records.ts";
export { compiledModules, moduleDefinitions } from "./modules/installed-modules.ts";
