import type { ProcedureInfo } from "@tenantry/api-core";
import { errorResponses } from "./error-responses.ts";
import { operationExamples } from "./examples.ts";
import { operationErrors } from "./operation-errors.ts";

/** An operation of the document, as generated (a plain JSON object). */
interface Operation {
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { required?: string[] } }> };
  responses: Record<string, unknown>;
}

export const tenantHeaderParameter = {
  name: "X-Tenant",
  in: "header",
  required: false,
  description:
    "The tenant to act in: its id or its slug. Leave it out when calling through the tenant's verified " +
    "custom domain or its `<slug>.<platform domain>` subdomain, which name the tenant instead; without " +
    "any of them the answer is `400 TENANT_REQUIRED`.",
  schema: { type: "string", minLength: 1, maxLength: 100 },
  example: "acme",
} as const;

/**
 * What trpc-to-openapi cannot know, written into each operation from the procedure's meta: the
 * `X-Tenant` header where a tenant is resolved, who may call (public operations say so with
 * `security: []`; the storefront takes a token or none), every error status with its app codes,
 * and an optional body where no field is required.
 */
export function refineOperation(operation: Operation, procedure: ProcedureInfo): void {
  const meta = procedure.meta ?? {};
  if (meta.openapi?.protect) operation.security = [{ Authorization: [] }];
  else if (meta.acceptsToken) operation.security = [{}, { Authorization: [] }];
  else operation.security = [];

  // Swagger UI and generated clients show a parameter's own description, not its schema's.
  for (const parameter of (operation.parameters ?? []) as Array<{ description?: string; schema?: { description?: string } }>) {
    if (!parameter.description && parameter.schema?.description) parameter.description = parameter.schema.description;
  }

  if (meta.tenantScope) {
    operation.parameters = [{ $ref: "#/components/parameters/XTenant" }, ...(operation.parameters ?? [])];
  }

  const body = operation.requestBody?.content?.["application/json"]?.schema;
  if (operation.requestBody && (body?.required ?? []).length === 0) operation.requestBody.required = false;

  const successes = Object.fromEntries(Object.entries(operation.responses).filter(([status]) => status.startsWith("2")));
  if (meta.created && successes["200"]) {
    successes["201"] = { ...(successes["200"] as object), description: "Created" };
    delete successes["200"];
  }
  const shape = {
    hasPathParameters: (meta.openapi?.path ?? "").includes("{"),
    paginated: (operation.parameters ?? []).some((p) => (p as { name?: string }).name === "cursor"),
  };
  operation.responses = { ...successes, ...errorResponses(operationErrors(procedure, shape)) };
  addExamples(operation, `${meta.openapi?.method ?? ""} ${meta.openapi?.path ?? ""}`);
}

function addExamples(operation: Operation, key: string): void {
  const examples = operationExamples[key];
  if (!examples) return;
  const body = operation.requestBody?.content?.["application/json"] as { example?: unknown } | undefined;
  if (examples.request !== undefined) {
    if (!body) throw new Error(`OpenAPI examples: ${key} takes no JSON body.`);
    body.example = examples.request;
  }
  for (const [status, example] of Object.entries(examples.responses ?? {})) {
    const content = (operation.responses[status] as { content?: Record<string, { example?: unknown }> } | undefined)?.content;
    const json = content?.["application/json"];
    if (!json) throw new Error(`OpenAPI examples: ${key} documents no ${status} answer.`);
    json.example = example;
  }
}
