import type { Server } from "node:http";
import { inject } from "light-my-request";

/**
 * Requests to a test server without a socket. Most tests are about what the server answers,
 * not how HTTP carries it; for those, a request is handed to the server's own request listener
 * in this process (Fastify's light-my-request builds the IncomingMessage and ServerResponse),
 * so it passes everything the app does to it (Express, middleware, tRPC, REST mapping, error
 * envelope, the conformance check) but no HTTP parser, socket or kernel round trip: measured,
 * a third less CPU per request. Tests of what only HTTP shows (framing, connections, shutdown,
 * raw targets) start their server with `{ sockets: true }` and keep real connections.
 *
 * `fetch` itself is routed: helpers and SDK clients take a server's `url` and call `fetch`, and
 * a request to a registered origin is served here, anything else (the fake SMS provider, a
 * server in another process) goes out as before.
 */

const servers = new Map<string, Server>();

/** What Node's fetch adds to every request it sends, unless the caller set them. */
const fetchDefaultHeaders = {
  accept: "*/*",
  "accept-language": "*",
  "sec-fetch-mode": "cors",
  "user-agent": "node",
  "accept-encoding": "gzip, deflate",
};
/** Node's own `fetch`, over a real connection whatever the origin. */
export const socketFetch = globalThis.fetch;

/** Serves requests to `origin` in-process from now on; the returned function undoes it. */
export function serveInProcess(origin: string, server: Server): () => void {
  routeFetchInProcess();
  servers.set(origin, server);
  return () => {
    if (servers.get(origin) === server) servers.delete(origin);
  };
}

/**
 * Express gives every request and response its own prototype (`app.request`, `app.response`,
 * both over Node's), which would drop light-my-request's methods that collect the answer and
 * feed the body: they are kept as the objects' own properties, which outlive the swap.
 */
const methodsOf = new WeakMap<object, Array<[string, unknown]>>();

function keepOwnMethods(target: object): void {
  const prototype = Object.getPrototypeOf(target) as Record<string, unknown>;
  let methods = methodsOf.get(prototype);
  if (!methods) {
    methods = Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== "constructor" && typeof prototype[name] === "function")
      .map((name) => [name, prototype[name]]);
    methodsOf.set(prototype, methods);
  }
  for (const [name, value] of methods) Object.defineProperty(target, name, { value, writable: true, configurable: true });
}

function dispatchTo(server: Server, rawTarget?: string) {
  return (req: object, res: object) => {
    keepOwnMethods(req);
    keepOwnMethods(res);
    // light-my-request emits 'finish' and 'close' as the answer ends; Node's own flag would wait
    // for its throwaway socket, so the server would count every answer as one the client left.
    Object.defineProperty(res, "writableFinished", { get: () => (res as { writableEnded: boolean }).writableEnded });
    // light-my-request resolves `..` and re-encodes the target, as fetch would; a raw request
    // reaches the app as written, as Node's HTTP parser would pass it.
    if (rawTarget !== undefined) (req as { url: string }).url = rawTarget;
    server.emit("request", req, res);
  };
}

async function inProcessFetch(server: Server, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = { host: url.host, ...fetchDefaultHeaders };
  // As fetch does: a POST or PUT without a body says so, other methods send no length.
  if (!body && (request.method === "POST" || request.method === "PUT")) headers["content-length"] = "0";
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const answer = await injectInto(server, { method: request.method, url: url.pathname + url.search, headers, body });
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(one));
  }
  // A Response may not carry a body with these statuses, not even an empty one.
  const bodiless = answer.statusCode === 204 || answer.statusCode === 304 || request.method === "HEAD";
  return new Response(bodiless ? null : answer.rawPayload, {
    status: answer.statusCode,
    statusText: answer.statusMessage,
    headers: responseHeaders,
  });
}

/**
 * A request exactly as written (target, headers, body) to the server's request listener, as the
 * fuzz suite sends them.
 */
export async function injectRaw(
  server: Server,
  request: { method: string; target: string; headers: Record<string, string>; body: string | undefined },
): Promise<{ status: number; text: string }> {
  const { method, target, headers, body } = request;
  const answer = await injectInto(server, { method, url: "/", rawTarget: target, headers, body });
  return { status: answer.statusCode, text: answer.payload };
}

async function injectInto(
  server: Server,
  request: {
    method: string;
    url: string;
    rawTarget?: string;
    headers: Record<string, string>;
    body: string | Buffer | undefined;
  },
) {
  const answer = await inject(dispatchTo(server, request.rawTarget), {
    method: request.method as "GET",
    url: request.url,
    headers: request.headers,
    ...(request.body !== undefined ? { payload: request.body } : {}),
  });
  // The server finishes a request (metrics, spans, logs) when its response closes, a tick after
  // the answer is complete; over a socket that tick passes while the answer travels.
  await new Promise(setImmediate);
  return answer;
}

/** Installs the routing `fetch`, once per worker (the first in-process server does). */
function routeFetchInProcess(): void {
  if (globalThis.fetch !== socketFetch) return;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = input instanceof Request ? input.url : String(input);
    const server = servers.size > 0 ? servers.get(new URL(target).origin) : undefined;
    if (!server) return socketFetch(input, init);
    return inProcessFetch(server, new Request(input, init));
  };
}
