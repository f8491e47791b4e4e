import { createTRPCClient, httpBatchLink, type HTTPBatchLinkOptions, type TRPCClient } from "@trpc/client";
import { resolveHeaders, type HeaderOptions } from "./headers.ts";
import { refreshLink } from "./refresh-link.ts";
import type { AppRouter } from "./router.ts";
import type { RefreshingSession, Session } from "./session.ts";

/** The `fetch` tRPC accepts: the platform's, or a polyfill, or a test double. */
export type FetchFunction = NonNullable<HTTPBatchLinkOptions<AppRouter["_def"]["_config"]["$types"]>["fetch"]>;

export interface ClientOptions extends HeaderOptions {
  /** The server's origin, e.g. `https://api.example.com`; procedures are called under `/trpc`. */
  url: string;
  /** Defaults to the global `fetch`. */
  fetch?: FetchFunction;
  /**
   * A signed-in user's tokens (`createSession()`): the access token is sent, and refreshed when
   * it expires. Instead of `token`, which stays for tokens the app manages itself.
   */
  session?: Session;
}

/** `client.platform.content.get.query({ key: "legal.terms" })` and so on, typed end to end. */
export type TenantryClient = TRPCClient<AppRouter>;

/**
 * Calls made in the same tick travel in one request, at most this many: the server refuses
 * larger batches (`TRPC_MAX_BATCH`, 10 by default) before running any of their calls.
 */
export const maxCallsPerBatch = 10;

export function createClient(options: ClientOptions): TenantryClient {
  const endpoint = trpcEndpoint(options.url);
  const session = options.session as RefreshingSession | undefined;
  if (session && options.token !== undefined) {
    throw new TypeError("createClient: pass either `session` or `token`, not both.");
  }
  const headerOptions: HeaderOptions = session ? { ...options, token: () => session.tokens?.accessToken } : options;
  const batch = httpBatchLink({
    url: endpoint,
    maxItems: maxCallsPerBatch,
    headers: () => resolveHeaders(headerOptions),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return createTRPCClient<AppRouter>({
    links: session ? [refreshLink(session, endpoint, options.fetch), batch] : [batch],
  });
}

function trpcEndpoint(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/trpc`;
}
