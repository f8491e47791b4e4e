import { collectDefaultMetrics, Registry } from "prom-client";

let shared: Registry | undefined;

/**
 * The usual process metrics (CPU, memory, heap, handles, GC, event-loop lag): one registry per
 * process, made on first use. They describe the process, not a server, and their collectors
 * (an event-loop delay monitor among them) are never stopped: several servers in one process
 * (tests, an embedding) share them rather than each starting its own.
 */
export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
