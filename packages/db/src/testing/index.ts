export { testBackends, type TestBackend, type TestDatabase } from "./test-databases.ts";
