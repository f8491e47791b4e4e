import { Agent, request, type Server } from "node:http";
import { injectRaw } from "./in-process-fetch.ts";

/**
 * Sends fuzz requests exactly as written (fetch would resolve `..` and re-encode the path, and
 * could not send a body with a lone surrogate escape as-is), a few at a time.
 */

export interface Answer {
  status: number;
  /** The body as text ("" when there is none). */
  text: string;
  /** A transport failure (reset, hang-up) instead of an answer. */
  error?: string;
}

export interface RawRequest {
  method: string;
  /** Path and query, as sent. */
  target: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface RawSender {
  send(request: RawRequest): Promise<Answer>;
  close(): void;
}

// Node's client sends GET and DELETE bodies without a length unless told it: the server would
// read them as the start of the next request.
const framing = (body: string | undefined): Record<string, string> =>
  body !== undefined ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {};

/** At most `sockets` requests on the wire at once; more wait in the agent's queue. */
export function rawSender(baseUrl: string, sockets: number): RawSender {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const send = ({ method, target, headers, body }: RawRequest): Promise<Answer> =>
    new Promise((resolve) => {
      const allHeaders = { ...headers, ...framing(body) };
      const req = request({ hostname, port, method, path: target, headers: allHeaders, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => resolve({ status: 0, text: "", error: error.message }));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", (error) => resolve({ status: 0, text: "", error: error.message }));
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/**
 * The same requests handed to the server's request listener in this process (no socket, no HTTP
 * parser: the target reaches the app as written, as Node's parser passes it). `.ci/run` sends
 * them over sockets once more (`TEST_TRANSPORT=sockets`).
 */
export function inProcessSender(server: { url: string; server: Server }): RawSender {
  const host = new URL(server.url).host;
  return {
    send: async ({ method, target, headers, body }) => {
      try {
        return await injectRaw(server.server, { method, target, headers: { host, ...headers, ...framing(body) }, body });
      } catch (error) {
        return { status: 0, text: "", error: error instanceof Error ? error.message : String(error) };
      }
    },
    close: () => {},
  };
}

/** Runs `work` on every item with at most `limit` running at once, in the items' order. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
