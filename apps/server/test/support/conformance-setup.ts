import { afterEach } from "vitest";
import { routeFetchInProcess } from "./in-process-fetch.ts";
import { takeConformanceMismatches } from "./rest-conformance.ts";

// Requests to a test server are served without a socket unless it was started with `sockets`.
routeFetchInProcess();

// Every REST answer a test received must be what the OpenAPI document says (rest-conformance.ts).
afterEach(() => {
  const mismatches = takeConformanceMismatches();
  if (mismatches.length === 0) return;
  const lines = mismatches.map((m) => `${m.request} → ${m.status}: ${m.problem}\n    ${m.body}`);
  throw new Error(`REST answers that do not match the OpenAPI document:\n${lines.join("\n")}`);
});
