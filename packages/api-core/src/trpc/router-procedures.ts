import type { AnyTRPCRouter, TRPCRootConfig } from "@trpc/server";
import type { Meta } from "../trpc.ts";

/**
 * Every procedure of a router, as the checks that walk the router need it (the router contract,
 * the isolation and role suites, `defineModule`'s builder check). tRPC has no public API that
 * lists procedures, so this is the one place that reads its internals: `router._def.procedures`
 * is a flat record keyed by dotted path at run time (its static type is the nested router), and
 * each procedure keeps its kind, meta and parsers on `_def`; the root config (error formatter,
 * transformer) is `router._def._config`. router-procedures.test.ts fails loudly if a tRPC upgrade
 * changes that.
 */
export interface ProcedureInfo {
  /** Dotted path, e.g. `tenants.members.list`. */
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: Meta | undefined;
  /** The input parsers (zod schemas), in the order `.input()` added them. */
  inputs: unknown[];
  /** The output parser, when the procedure declares one. */
  output: unknown;
}

interface ProcedureDefinition {
  type: ProcedureInfo["type"];
  meta?: Meta;
  inputs: unknown[];
  output?: unknown;
}

export function listProcedures(router: AnyTRPCRouter): ProcedureInfo[] {
  const flat = router._def.procedures as unknown as Record<string, { _def?: ProcedureDefinition }>;
  return Object.entries(flat).map(([path, procedure]) => {
    const def = procedure._def;
    if (!def || !["query", "mutation", "subscription"].includes(def.type) || !Array.isArray(def.inputs)) {
      throw new Error(`listProcedures: ${path} does not look like a tRPC 11 procedure; has tRPC changed its internals?`);
    }
    return { path, type: def.type, meta: def.meta, inputs: def.inputs, output: def.output };
  });
}

/**
 * Dotted path → kind, for a transport that calls procedures itself (`callTRPCProcedure`) and
 * must know, before calling, whether the path names a query or a mutation.
 */
export function procedureKinds(router: AnyTRPCRouter): ReadonlyMap<string, ProcedureInfo["type"]> {
  return new Map(listProcedures(router).map((p) => [p.path, p.type]));
}

/** What tRPC's public `getTRPCErrorShape` needs to format an error as the router does. */
export function routerRootConfig(router: AnyTRPCRouter): TRPCRootConfig<AnyTRPCRouter["_def"]["_config"]["$types"]> {
  const config = (router._def as { _config?: { errorFormatter?: unknown; transformer?: unknown } })._config;
  if (typeof config?.errorFormatter !== "function" || typeof config.transformer !== "object") {
    throw new Error("routerRootConfig: the router has no tRPC 11 root config; has tRPC changed its internals?");
  }
  return config as TRPCRootConfig<AnyTRPCRouter["_def"]["_config"]["$types"]>;
}
