import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Each file starts real servers on fresh databases (PGlite boots in ~2 s).
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
