import { appRouter, listProcedures, type ProcedureInfo } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAsAdmin } from "./support/accounts.ts";
import { shopTenant } from "./support/shop.ts";
import { register, registerMember, seedAdminPassword, tenantClient, tenantEnv } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * The role matrix. Every procedure declares in its builder who may call it (anyone, any signed-in
 * customer, members of given roles, platform admins); this calls every such procedure, found by
 * walking the router, as each kind of caller, and checks the answer against the declaration.
 *
 * The input is always a string no procedure accepts, so a caller who passes the access checks gets
 * 400 VALIDATION_FAILED and nothing runs, and one who does not gets 401 or 403 from the builder:
 * builders check access before they read the input.
 */

type Caller = "anonymous" | "customer" | "member" | "admin" | "owner" | "platformAdmin";
const tenantCallers: Caller[] = ["anonymous", "customer", "member", "admin", "owner"];

/** Who the procedure's builder lets through, by its meta. */
function allowed(procedure: ProcedureInfo, caller: Caller): boolean {
  const meta = procedure.meta ?? {};
  if (meta.platformAdminOnly) return caller === "platformAdmin";
  if (meta.tenantScope === "public") return true;
  if (meta.tenantScope === "customer") return caller !== "anonymous";
  const roles = meta.roles ?? [];
  return caller === "member" || caller === "admin" || caller === "owner" ? roles.includes(caller) : false;
}

/** What a refusal by a builder looks like: who you are (401) or what you are (403). */
const refusalCodes = new Set([
  "UNAUTHENTICATED",
  "NOT_A_MEMBER",
  "TENANT_ADMIN_ONLY",
  "PERMISSION_DENIED",
  "PLATFORM_ADMIN_ONLY",
]);

const inMatrix = listProcedures(appRouter).filter((p) => p.meta?.tenantScope !== undefined || p.meta?.platformAdminOnly);

describe("the role matrix's procedures", () => {
  it("covers every tenant procedure and every platform-admin procedure, and each member procedure names its roles", () => {
    expect(inMatrix.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        "tenants.members.changeRole",
        "modules.shop.orders.list",
        "admin.tenants.suspend",
        "tenants.public",
      ]),
    );
    const memberWithoutRoles = inMatrix.filter(
      (p) => (p.meta?.tenantScope === "member" || p.meta?.tenantScope === "admin") && !p.meta.roles,
    );
    expect(memberWithoutRoles.map((p) => p.path)).toEqual([]);
  });

  it("declares the documented rules (spot checks of the permission map and the shop's manifest)", () => {
    const rolesOf = (path: string) => inMatrix.find((p) => p.path === path)?.meta?.roles;
    expect(rolesOf("tenants.delete")).toEqual(["owner"]);
    expect(rolesOf("tenants.subscription.changePlan")).toEqual(["owner"]);
    expect(rolesOf("tenants.members.changeRole")).toEqual(["owner", "admin"]);
    expect(rolesOf("modules.shop.orders.list")).toEqual(["owner", "admin"]);
    expect(rolesOf("modules.shop.orders.get")).toEqual(["owner", "admin"]);
    expect(rolesOf("tenants.members.list")).toEqual(["owner", "admin", "member"]);
  });
});

describe.each(testBackends())("the role matrix on $name", (backend) => {
  let server: TestServer;
  let tokens: Record<Caller, string | undefined>;
  let tenantSlug: string;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    const api = tenantClient(server);
    const shop = await shopTenant(server, api);
    tenantSlug = shop.tenant.slug;
    const admin = await registerMember(server, shop.owner.accessToken, tenantSlug, "admin");
    const member = await registerMember(server, shop.owner.accessToken, tenantSlug, "member");
    const customer = await register(server);
    const platformAdmin = await signInAsAdmin(server, seedAdminPassword);
    tokens = {
      anonymous: undefined,
      customer: customer.accessToken,
      member: member.accessToken,
      admin: admin.accessToken,
      owner: shop.owner.accessToken,
      platformAdmin: platformAdmin.accessToken,
    };
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function callAs(procedure: ProcedureInfo, caller: Caller): Promise<{ status: number; appCode: string | undefined }> {
    const headers: Record<string, string> = { "x-tenant": tenantSlug };
    const token = tokens[caller];
    if (token) headers.authorization = `Bearer ${token}`;
    const notAnInput = JSON.stringify("not an input");
    const res =
      procedure.type === "query"
        ? await fetch(`${server.url}/trpc/${procedure.path}?input=${encodeURIComponent(notAnInput)}`, { headers })
        : await fetch(`${server.url}/trpc/${procedure.path}`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: notAnInput,
          });
    const body = (await res.json()) as { error?: { data?: { appCode?: string } } };
    return { status: res.status, appCode: body.error?.data?.appCode };
  }

  it("lets exactly the declared callers past every builder, and refuses everyone else before reading the input", async () => {
    const mismatches: string[] = [];
    for (const procedure of inMatrix) {
      const callers: Caller[] = procedure.meta?.platformAdminOnly ? ["customer", "owner", "platformAdmin"] : tenantCallers;
      for (const caller of callers) {
        const answer = await callAs(procedure, caller);
        const expected = allowed(procedure, caller);
        const passed = answer.status === 400 && answer.appCode === "VALIDATION_FAILED";
        const refused = (answer.status === 401 || answer.status === 403) && refusalCodes.has(answer.appCode ?? "");
        if (expected ? !passed : !refused) {
          mismatches.push(
            `${procedure.path} as ${caller}: expected ${expected ? "allowed" : "refused"}, got ${answer.status} ${answer.appCode}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
