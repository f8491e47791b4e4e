/** Testing a module on a real database: `import { createModuleTestHarness } from "@tenantry/module-testing"`. */
export { createModuleTestHarness, type HarnessOptions, type ModuleTestHarness } from "./harness.ts";
export { testBackends, type TestBackend } from "@tenantry/db/testing";
// A module's tests may look at its rows directly, inside one tenant's scope (row-level security applies).
export { withTenantScope } from "@tenantry/db";
