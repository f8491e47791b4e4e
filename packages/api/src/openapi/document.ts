import { listProcedures } from "@tenantry/api-core";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { moduleDefinitions } from "../modules/installed-modules.ts";
import { appRouter } from "../root.ts";
import { errorSchema } from "./error-responses.ts";
import { notificationKinds } from "../notifications/notification-kinds.ts";
import { describeEnableSettings } from "./module-settings.ts";
import { describeNotificationKinds } from "./notification-variants.ts";
import { refineOperation, tenantHeaderParameter } from "./refine-operations.ts";
import { coreTags } from "./tags.ts";

export interface OpenApiOptions {
  /** Absolute URL of the REST root, e.g. `https://api.example.com/api/v1`. */
  baseUrl: string;
  version: string;
}

const built = new Map<string, OpenAPIObject>();

/**
 * The OpenAPI 3.1 document for everything the router serves under `/api/v1`. Generating it
 * walks every procedure's schemas (a noticeable part of a server's start), and the routers are
 * fixed once loaded, so it is built once per process and options, and frozen: every caller
 * shares it.
 */
export function createOpenApiDocument(options: OpenApiOptions): OpenAPIObject {
  const key = `${options.baseUrl}\0${options.version}`;
  let document = built.get(key);
  if (!document) {
    document = deepFreeze(generateDocument(options));
    built.set(key, document);
  }
  return document;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function generateDocument({ baseUrl, version }: OpenApiOptions): OpenAPIObject {
  const moduleTags = [...moduleDefinitions.values()].map((m) => ({
    name: m.manifest.id,
    description: `The ${m.manifest.name} module: ${m.manifest.description ?? ""} Enabled per tenant.`,
  }));
  const document = generateOpenApiDocument(appRouter, {
    title: "Tenantry API",
    description:
      "The Tenantry platform core over REST. The same procedures are served over tRPC at `/trpc` " +
      "and through the typed `@tenantry/sdk` client. Errors carry a stable `data.appCode`; each " +
      "operation lists the codes it can answer with.",
    version,
    baseUrl,
    tags: [...coreTags, ...moduleTags].map((tag) => tag.name),
  });
  document.info.license = { name: "MIT", identifier: "MIT" };
  document.info.contact = { name: "Tenantry maintainers" };
  document.tags = [...coreTags, ...moduleTags];

  const schemas = Object.fromEntries(
    Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith("error.")),
  );
  document.components = {
    ...document.components,
    schemas: { ...schemas, Error: errorSchema },
    parameters: { XTenant: { ...tenantHeaderParameter } },
  };

  for (const procedure of listProcedures(appRouter)) {
    const route = procedure.meta?.openapi;
    if (!route || procedure.meta?.internal) continue;
    const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as "get"];
    if (!operation) throw new Error(`OpenAPI: ${route.method} ${route.path} (${procedure.path}) is missing from the document.`);
    refineOperation(operation as Parameters<typeof refineOperation>[0], procedure);
  }
  describeEnableSettings(document, [...moduleDefinitions.keys()]);
  describeNotificationKinds(document, notificationKinds);
  return document;
}
