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
