import { listProcedures } from "@tenantry/api";
import type { AnyTRPCRouter } from "@trpc/server";

export type TransportLabel = "trpc" | "rest" | "other";

export interface RequestLabels {
  transport: TransportLabel;
  /** A procedure path of the router, or one of the placeholders below: never a raw URL. */
  procedure: string;
}

/** Placeholders that keep the label bounded whatever a client sends. */
export const batchLabel = "(batch)";
export const unknownLabel = "(unknown)";
export const noProcedureLabel = "(none)";

interface RestRoute {
  pattern: RegExp;
  procedure: string;
}

const firstSegment = (path: string) => path.split("/")[1] ?? "";

/**
 * Names the procedure a request is for, from its method and URL alone (so a request refused
 * before any procedure ran is labelled too): REST operations by their path template (literal
 * segments win over parameters, as in the REST bridge), tRPC calls by the path in the URL when
 * the router has it. Labels must stay a small set: ids, slugs and made-up paths never become one.
 */
export function requestLabeller(router: AnyTRPCRouter, restBasePath: string) {
  const procedures = listProcedures(router);
  const known = new Set(procedures.map((p) => p.path));
  // Grouped by method and first segment (every REST path starts with a literal one), so a
  // request tries a handful of patterns rather than all of them.
  const routes = new Map<string, RestRoute[]>();
  const sorted = procedures
    .flatMap((p) => (p.meta?.openapi ? [{ ...p.meta.openapi, procedure: p.path }] : []))
    .map((route) => ({
      method: route.method.toUpperCase(),
      procedure: route.procedure,
      first: firstSegment(route.path),
      parameters: (route.path.match(/\{/g) ?? []).length,
      pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
    }))
    .sort((a, b) => a.parameters - b.parameters);
  for (const route of sorted) {
    const key = `${route.method} ${route.first}`;
    routes.set(key, [...(routes.get(key) ?? []), route]);
  }

  function trpcProcedure(path: string): string {
    let names: string[];
    try {
      names = decodeURIComponent(path.replace(/^\//, "")).split(",");
    } catch {
      return unknownLabel;
    }
    if (names.length > 1) return names.every((name) => known.has(name)) ? batchLabel : unknownLabel;
    return known.has(names[0]!) ? names[0]! : unknownLabel;
  }

  return (method: string, originalUrl: string): RequestLabels => {
    const path = originalUrl.split("?")[0]!;
    if (path.startsWith("/trpc/")) return { transport: "trpc", procedure: trpcProcedure(path.slice("/trpc".length)) };
    if (path.startsWith(`${restBasePath}/`)) {
      const below = path.slice(restBasePath.length);
      const route = routes.get(`${method} ${firstSegment(below)}`)?.find((r) => r.pattern.test(below));
      return { transport: "rest", procedure: route?.procedure ?? unknownLabel };
    }
    return { transport: "other", procedure: noProcedureLabel };
  };
}
