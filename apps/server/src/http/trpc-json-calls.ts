import {
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
  TRPCError,
  type AnyTRPCRouter,
  type TRPCErrorShape,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import { procedureKinds, routerRootConfig } from "@tenantry/api";
import type { Request, RequestHandler } from "express";

export interface TrpcJsonCallsOptions<Ctx> {
  router: AnyTRPCRouter;
  createContext(req: Request): Ctx | Promise<Ctx>;
  responseMeta(opts: { errors: TRPCError[] }): { headers?: Record<string, string | string[] | undefined> };
  onError(opts: { error: TRPCError; path: string; input: unknown; ctx: Ctx | undefined; type: string; req: Request }): void;
}

type Call = { path: string; type: "query" | "mutation"; input: unknown };
type Answer = { result: { data: unknown } } | { error: TRPCErrorShape };

/**
 * tRPC's HTTP protocol for what the SDK sends, answered from Node's request and response: queries
 * by GET and mutations by POST, one call or a batch (`?batch=1`), JSON in and out. tRPC's Express
 * adapter turns every request into a Fetch `Request` (with abort signals) and writes its answer
 * through a Fetch `Response` stream, chunked; under load that cost 0.2–0.5 ms of CPU per call more
 * than the REST bridge for the same procedure (`pnpm bench:http`, "server CPU ms/req").
 *
 * Same procedures (`callTRPCProcedure`), same error shapes (`getTRPCErrorShape`), same statuses
 * (`getHTTPStatusCode`: 207 for a mixed batch): only the plumbing differs. Everything else tRPC
 * speaks goes on (`next()`) to tRPC's own adapter, which answers it as it always has: streaming
 * (`trpc-accept`), subscriptions, HEAD, unknown procedures, a method that does not fit the
 * procedure, inputs that are not JSON objects where tRPC wants one, non-JSON bodies.
 */
export function trpcJsonCalls<Ctx>(options: TrpcJsonCallsOptions<Ctx>): RequestHandler {
  const { router } = options;
  const kinds = procedureKinds(router);
  const config = routerRootConfig(router);
  const deserialize = (input: unknown) => config.transformer.input.deserialize(input) as unknown;

  return async (req, res, next) => {
    const calls = readCalls(req, kinds, deserialize);
    if (!calls) {
      next();
      return;
    }
    let ctx: Ctx | undefined;
    let contextError: unknown;
    try {
      ctx = await options.createContext(req);
    } catch (cause) {
      contextError = cause;
    }
    const errors: TRPCError[] = [];
    const answers = await Promise.all(
      calls.map(async ({ path, type, input }, batchIndex): Promise<Answer> => {
        try {
          if (contextError !== undefined) throw contextError;
          const data: unknown = await callTRPCProcedure({
            router,
            path,
            type,
            ctx,
            getRawInput: () => Promise.resolve(input),
            signal: undefined,
            batchIndex,
          });
          if (isStream(data)) {
            // As tRPC's adapter answers it: a stream needs the streaming link, not plain JSON.
            throw new TRPCError({
              code: "UNSUPPORTED_MEDIA_TYPE",
              message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
            });
          }
          return { result: { data } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          errors[batchIndex] = error;
          options.onError({ error, path, input, ctx, type, req });
          return { error: getTRPCErrorShape({ config, error, type, path, input, ctx }) };
        }
      }),
    );
    const batched = isBatch(req);
    const status = getHTTPStatusCode(batched ? answers : answers[0]!, errors);
    const meta = options.responseMeta({ errors: errors.filter(Boolean) });
    for (const [name, value] of Object.entries(meta.headers ?? {})) {
      if (value !== undefined) res.setHeader(name, value);
    }
    res.vary("trpc-accept").vary("accept");
    res.status(status).setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(transformTRPCResponse(config, batched ? answers : answers[0]!)));
  };
}

function isBatch(req: Request): boolean {
  return req.query.batch === "1";
}

function isStream(data: unknown): boolean {
  return typeof data === "object" && data !== null && (Symbol.asyncIterator in data || data instanceof ReadableStream);
}

/** The calls of a request this handler answers, or undefined for tRPC's own adapter. */
function readCalls(
  req: Request,
  kinds: ReadonlyMap<string, string>,
  deserialize: (input: unknown) => unknown,
): Call[] | undefined {
  const type = req.method === "GET" ? "query" : req.method === "POST" ? "mutation" : undefined;
  if (!type || req.headers["trpc-accept"] !== undefined) return undefined;
  // A repeated `batch` or `input` parameter: tRPC reads the first; leave such requests to it.
  if (Array.isArray(req.query.batch)) return undefined;
  let paths: string[];
  try {
    paths = decodeURIComponent(req.path.slice(1)).split(",");
  } catch {
    return undefined;
  }
  const batched = isBatch(req);
  if (!batched && paths.length !== 1) return undefined;
  if (paths.some((path) => kinds.get(path) !== type)) return undefined;

  // tRPC picks its input reader by content type (JSON, form data, octets); only JSON is read here.
  const contentType = req.headers["content-type"];
  if (type === "mutation" || contentType !== undefined) {
    if (!contentType?.startsWith("application/json")) return undefined;
  }
  let inputs: unknown;
  if (type === "query") {
    const raw = req.query.input;
    if (raw !== undefined && typeof raw !== "string") return undefined;
    try {
      inputs = raw ? (JSON.parse(raw) as unknown) : undefined;
    } catch {
      return undefined; // the edge (json-input.ts) refuses this before it gets here
    }
  } else {
    inputs = req.body;
  }
  if (!batched) return [{ path: paths[0]!, type, input: inputs === undefined ? undefined : deserialize(inputs) }];
  // tRPC wants a batch's inputs as an object keyed by call index, and says so itself otherwise.
  if (inputs !== undefined && (inputs === null || typeof inputs !== "object" || Array.isArray(inputs))) return undefined;
  const byIndex = (inputs ?? {}) as Record<string, unknown>;
  return paths.map((path, index) => {
    const input = Object.hasOwn(byIndex, index) ? byIndex[index] : undefined;
    return { path, type, input: input === undefined ? undefined : deserialize(input) };
  });
}
