import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { describeOutsideProject } from "./support/outside-project.ts";
import { packSdk } from "./support/packed-sdk.ts";
import { describeStandaloneTypes } from "./support/standalone-types.ts";

/*
 * The SDK as released: packed once, then compiled by a strict consumer that has only tRPC
 * (support/standalone-types.ts) and installed with npm beside TanStack Query
 * (support/outside-project.ts). One file, so one pack serves both.
 */

let packDir: string;
let tarball: string;

beforeAll(() => {
  packDir = mkdtempSync(path.join(os.tmpdir(), "tenantry-sdk-pack-"));
  tarball = packSdk(packDir);
}, 600_000);

afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describeStandaloneTypes(() => tarball);
describeOutsideProject(() => tarball);
