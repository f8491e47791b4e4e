import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appCodesSource } from "../scripts/write-app-codes.ts";

describe("src/app-codes.ts", () => {
  it("lists exactly the codes the API declares (run `pnpm --filter @tenantry/sdk app-codes` when this fails)", () => {
    expect(readFileSync(new URL("../src/app-codes.ts", import.meta.url), "utf8")).toBe(appCodesSource());
  });
});
