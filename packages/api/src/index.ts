export { appRouter, type AppRouter } from "./root.ts";
export { createCallerFactory, type ErrorData, type Meta } from "./trpc.ts";
export {
  createContextFactory,
  type ApiSettings,
  type Context,
  type RequestFacts,
} from "./context.ts";
export { createOpenApiDocument, type OpenApiOptions } from "./openapi.ts";
export { AppError } from "./errors/app-errors.ts";
export { authPolicy, type AuthRuntime } from "./auth-runtime.ts";
export { createRateLimiter, RateLimitedError, type RateLimiter } from "./rate-limit/rate-limiter.ts";
export { rateLimitRules } from "./rate-limit/rules.ts";
export { headersForErrors } from "./http/response-meta.ts";
