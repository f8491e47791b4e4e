import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { installedModules } from "./generated/modules.ts";
import { appRouter } from "./root.ts";

export interface OpenApiOptions {
  /** Absolute URL of the REST root, e.g. `https://api.example.com/api/v1`. */
  baseUrl: string;
  version: string;
}

/** The OpenAPI 3.1 document for everything the router serves under `/api/v1`. */
export function createOpenApiDocument({ baseUrl, version }: OpenApiOptions): OpenAPIObject {
  return generateOpenApiDocument(appRouter, {
    title: "Tenantry API",
    description:
      "The Tenantry platform core over REST. The same procedures are served over tRPC at `/trpc` " +
      "and through the typed `@tenantry/sdk` client. Errors carry a stable `data.appCode`.",
    version,
    baseUrl,
    // One tag per core router, then one per module (its procedures live under /modules/<id>/).
    tags: [
      "auth",
      "account",
      "tenants",
      "plans",
      "modules",
      "notifications",
      "platform",
      "admin",
      ...Object.keys(installedModules),
    ],
  });
}
