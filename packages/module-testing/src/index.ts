/** Testing a module on a real database: `import { createModuleTestHarness } from "@tenantry/module-testing"`. */
export { createModuleTestHarness, type HarnessOptions, type ModuleTestHarness } from "./harness.ts";
export { testBackends, type TestBackend } from "@tenantry/db/testing";
