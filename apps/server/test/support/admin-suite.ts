import { afterAll, beforeAll } from "vitest";
import { signInAsAdmin } from "./accounts.ts";
import { seedAdminPassword, tenantClient, tenantEnv, type TenantClient } from "./tenants.ts";
import { startTestServer, type TestBackend, type TestServer } from "./test-server.ts";

export interface AdminSuite {
  server: TestServer;
  api: TenantClient;
  /** The seeded platform admin, signed in. */
  admin: { token: string; id: string };
  /** Call options acting as that admin. */
  asAdmin(): { token: string };
}

/**
 * One server for the calling file's tests (started before them, stopped after) with the seeded
 * platform admin signed in: what every platform-admin suite starts from. Call it inside the
 * `describe`; read the fields inside tests, once the hooks have run.
 */
export function adminSuite(backend: TestBackend, env: NodeJS.ProcessEnv = tenantEnv()): AdminSuite {
  const suite = { asAdmin: () => ({ token: suite.admin.token }) } as AdminSuite;
  beforeAll(async () => {
    suite.server = await startTestServer(backend, env);
    suite.api = tenantClient(suite.server);
    const signedIn = await signInAsAdmin(suite.server, seedAdminPassword);
    suite.admin = { token: signedIn.accessToken, id: signedIn.user.id };
  });
  afterAll(async () => {
    await suite.server?.stop();
  });
  return suite;
}
