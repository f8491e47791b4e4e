import { appRouter } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAsAdmin } from "./support/accounts.ts";
import { createTenant, seedAdminPassword, tenantEnv } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * Every procedure of the router (enumerated, so new ones are covered) fed input of the wrong
 * shape, over tRPC HTTP, by a caller who passes every other check (a platform admin who owns
 * the tenant): the answer must be 400 VALIDATION_FAILED naming the field, never a 500, and
 * never a success. Validation runs before the procedure body, so nothing is changed.
 */
interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: Array<{ _zod?: { def?: { type?: string; shape?: Record<string, unknown>; innerType?: unknown } } }>;
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>).map(
  ([path, procedure]) => ({ path, def: procedure._def }),
);

/** The object schema under optional/default wrappers, if the input is one. */
function objectShape(def: ProcedureDef): Record<string, unknown> | undefined {
  let schema = def.inputs[0]?._zod?.def;
  while (schema && !schema.shape && schema.innerType) {
    schema = (schema.innerType as { _zod?: { def?: typeof schema } })._zod?.def;
  }
  return schema?.shape;
}

/** A value no field of ours accepts: not a string, number, boolean, enum member or id. */
const wrongValue = { not: ["a", "valid", "value"] };

describe.each(testBackends())("bad input to every procedure on $name", (backend) => {
  let server: TestServer;
  let headers: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(backend, tenantEnv());
    const admin = await signInAsAdmin(server, seedAdminPassword);
    const tenant = await createTenant(server, admin.accessToken);
    headers = { authorization: `Bearer ${admin.accessToken}`, "x-tenant": tenant.slug, "content-type": "application/json" };
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function call(path: string, type: ProcedureDef["type"], input: unknown) {
    const res =
      type === "query"
        ? await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
        : await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(input) });
    const body = (await res.json()) as { error?: { data?: { appCode?: string; issues?: Array<{ field: string }> } } };
    return { status: res.status, body };
  }

  it.each(procedures)("$path refuses a non-object input with 400", async ({ path, def }) => {
    const { status, body } = await call(path, def.type, 42);
    expect({ status, appCode: body.error?.data?.appCode }).toEqual({ status: 400, appCode: "VALIDATION_FAILED" });
  });

  it.each(procedures.filter((p) => Object.keys(objectShape(p.def) ?? {}).length > 0))(
    "$path refuses a wrongly typed value in each field with 400 naming it",
    async ({ path, def }) => {
      for (const field of Object.keys(objectShape(def)!)) {
        const { status, body } = await call(path, def.type, { [field]: wrongValue });
        expect({ field, status, appCode: body.error?.data?.appCode }).toEqual({ field, status: 400, appCode: "VALIDATION_FAILED" });
        expect(body.error?.data?.issues?.map((i) => i.field.split(".")[0])).toContain(field);
      }
    },
  );
});
