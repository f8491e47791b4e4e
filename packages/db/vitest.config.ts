import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Opening a PGlite instance and replaying migrations on a shadow database take seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
