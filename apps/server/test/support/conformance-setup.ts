import { afterEach } from "vitest";
import { takeConformanceMismatches } from "./rest-conformance.ts";

// Every REST answer a test received must be what the OpenAPI document says (rest-conformance.ts).
afterEach(() => {
  const mismatches = takeConformanceMismatches();
  if (mismatches.length === 0) return;
  const lines = mismatches.map((m) => `${m.request} → ${m.status}: ${m.problem}\n    ${m.body}`);
  throw new Error(`REST answers that do not match the OpenAPI document:\n${lines.join("\n")}`);
});
