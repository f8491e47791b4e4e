import { appRouter, listProcedures } from "@tenantry/api";
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

const procedures = listProcedures(appRouter).map((p) => ({ path: p.path, def: p as ProcedureDef }));

/** The object schema under optional/default wrappers, if the input is one. */
function objectShape(def: ProcedureDef): Record<string, unknown> | undefined {
  let schema = def.inputs[0]?._zod?.def;
  while (schema && !schema.shape && schema.innerType) {
    schema = (schema.innerType as { _zod?: { def?: typeof schema } })._zod?.def;
  }
  return schema?.shape;
}

/** The zod type under optional/default wrappers, e.g. `record` or `string`. */
function fieldType(schema: unknown): string | undefined {
  let def = (schema as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
  while (def && (def.type === "optional" || def.type === "default" || def.type === "prefault") && def.innerType) {
    def = (def.innerType as { _zod?: { def?: typeof def } })._zod?.def;
  }
  return def?.type;
}

/**
 * Fields of a procedure's own input shape that it checks itself. Free-form records (a module's
 * settings on `modules.enable`) accept any object here; the module's schema judges them later
 * (tested in modules-lifecycle.test.ts).
 */
const checkedFields = (def: ProcedureDef) =>
  Object.entries(objectShape(def) ?? {})
    .filter(([, schema]) => fieldType(schema) !== "record")
    .map(([field]) => field);

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
    // Module procedures check the module before the input: every module on, on a plan with all of them.
    await fetch(`${server.url}/api/v1/tenant/subscription`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ planCode: "business" }),
    });
    const modules = (await (await fetch(`${server.url}/api/v1/tenant/modules`, { headers })).json()) as Array<{ id: string }>;
    for (const { id } of modules) {
      const enabled = await fetch(`${server.url}/api/v1/tenant/modules/${id}/enable`, { method: "POST", headers });
      if (enabled.status !== 200) throw new Error(`enabling ${id} answered ${enabled.status}: ${await enabled.text()}`);
    }
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

  it.each(procedures.filter((p) => checkedFields(p.def).length > 0))(
    "$path refuses a wrongly typed value in each field with 400 naming it",
    async ({ path, def }) => {
      for (const field of checkedFields(def)) {
        const { status, body } = await call(path, def.type, { [field]: wrongValue });
        expect({ field, status, appCode: body.error?.data?.appCode }).toEqual({
          field,
          status: 400,
          appCode: "VALIDATION_FAILED",
        });
        expect(body.error?.data?.issues?.map((i) => i.field.split(".")[0])).toContain(field);
      }
    },
  );
});
