import type { ErrorDeclaration } from "./error-declaration.ts";

/**
 * How a procedure is also served over REST (trpc-to-openapi's `openapi` meta), declared the same
 * way everywhere: `const rest = restRoutes("tenants")` once per router, then
 * `.meta(rest({ method: "GET", path: "/tenant/members", protect: true, summary: "…" }))`.
 * The router's tag groups its operations in the OpenAPI document.
 */
export interface RestRoute {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Under `/api/v1`, kebab-case, parameters as `{camelCase}`. */
  path: `/${string}`;
  summary: string;
  description?: string;
  /** Whether a bearer token is needed (`false`: anyone may call it). */
  protect: boolean;
  /** App codes the procedure itself can answer with, by status (its builders' are implied). */
  errors?: ErrorDeclaration;
  /** A `POST` that creates something: REST answers `201 Created` (tRPC keeps its 200). */
  created?: boolean;
}

export function restRoutes(tag: string) {
  return (route: RestRoute) => ({
    openapi: {
      method: route.method,
      path: route.path,
      tags: [tag],
      summary: route.summary,
      protect: route.protect,
      ...(route.description ? { description: route.description } : {}),
    },
    ...(route.errors ? { errors: route.errors } : {}),
    ...(route.created ? { created: true } : {}),
  });
}
