import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sharedTestConfig } from "../../vitest.shared.ts";

export default defineConfig({
  // The SDK's behaviour against the real server is tested from its source, so these tests need
  // not wait for its build; the built bundle and declarations are tested in packages/sdk.
  resolve: { alias: { "@tenantry/sdk": fileURLToPath(new URL("../../packages/sdk/src/index.ts", import.meta.url)) } },
  test: {
    ...sharedTestConfig,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["test/support/conformance-setup.ts"],
    // The build (TEST_SERVER=build) is plain JavaScript for Node: loaded as Node loads it, not
    // transformed again by Vite (~10 s a worker for the bundle).
    server: { deps: { external: [/\/apps\/server\/dist\//] } },
  },
});
