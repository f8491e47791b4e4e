import { createTRPCClient, httpBatchLink, type HTTPBatchLinkOptions, type TRPCClient } from "@trpc/client";
import { resolveHeaders, type HeaderOptions } from "./headers.ts";
import type { AppRouter } from "./router.ts";

/** The `fetch` tRPC accepts: the platform's, or a polyfill, or a test double. */
export type FetchFunction = NonNullable<HTTPBatchLinkOptions<AppRouter["_def"]["_config"]["$types"]>["fetch"]>;

export interface ClientOptions extends HeaderOptions {
  /** The server's origin, e.g. `https://api.example.com`; procedures are called under `/trpc`. */
  url: string;
  /** Defaults to the global `fetch`. */
  fetch?: FetchFunction;
}

/** `client.platform.content.get.query({ key: "legal.terms" })` and so on, typed end to end. */
export type TenantryClient = TRPCClient<AppRouter>;

/**
 * Calls made in the same tick travel in one request, at most this many: the server refuses
 * larger batches (`TRPC_MAX_BATCH`, 10 by default) before running any of their calls.
 */
export const maxCallsPerBatch = 10;

export function createClient(options: ClientOptions): TenantryClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: trpcEndpoint(options.url),
        maxItems: maxCallsPerBatch,
        headers: () => resolveHeaders(options),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

function trpcEndpoint(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/trpc`;
}
