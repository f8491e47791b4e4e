import type { OpenAPIObject } from "trpc-to-openapi";
import type { OperationErrors } from "./operation-errors.ts";

/**
 * The error body every REST answer other than a success carries, as the server sends it (the
 * error formatter in api-core's trpc.ts, and the edge's `refuse`): one shared component.
 */
type SchemaObject = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

export const errorSchema: SchemaObject = {
  type: "object",
  description: "An error. Switch on `data.appCode` (stable), not on `message` (for people) or `code`.",
  required: ["code", "message", "data"],
  additionalProperties: false,
  properties: {
    code: {
      type: "string",
      description: "The tRPC error code behind the HTTP status, e.g. `NOT_FOUND`, `CONFLICT`.",
    },
    message: { type: "string", description: "What went wrong, for people; names the field at fault." },
    data: {
      type: "object",
      required: ["appCode", "httpStatus"],
      additionalProperties: false,
      properties: {
        appCode: { type: "string", description: "Stable and machine-readable: the operation lists every one it can answer." },
        httpStatus: { type: "integer", description: "The HTTP status, repeated for clients that lose it." },
        issues: {
          type: "array",
          description: "For input that failed validation: each field at fault, and why.",
          items: {
            type: "object",
            required: ["field", "message"],
            additionalProperties: false,
            properties: {
              field: {
                type: "string",
                description: "Dotted path of the field, e.g. `items.0.quantity`; empty for the whole input.",
              },
              message: { type: "string" },
            },
          },
        },
        path: { type: "string", description: "The procedure, e.g. `tenants.members.list`." },
        stack: { type: "string", description: "Development servers only." },
      },
    },
  },
};

const statusDescriptions: Record<number, string> = {
  400: "The input or the request is invalid; `data.issues` names the fields.",
  401: "No valid sign-in: the token is missing, expired or forged, or its session has ended.",
  403: "Signed in, but not allowed: a role, a plan, a suspended tenant or a blocked phone.",
  404: "Not found, or not visible to the caller.",
  409: "The request clashes with the current state (a duplicate, stock, a concurrent change).",
  413: "The body is larger than the server accepts.",
  415: "The body is not JSON.",
  429: "Too many attempts; wait the `Retry-After` seconds.",
  500: "An unexpected failure; it has been logged with the request id.",
  503: "A dependency is unavailable for a moment (the database, SMS, email); retry after `Retry-After`.",
};

const retryAfter = {
  "Retry-After": {
    description: "Seconds to wait before trying again.",
    schema: { type: "integer", minimum: 0 },
  },
};

/** The responses object entries for an operation's errors: the shared body, each status's app codes. */
export function errorResponses(errors: OperationErrors): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of errors) {
    responses[String(status)] = {
      description: statusDescriptions[status] ?? "An error.",
      ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
      content: {
        "application/json": {
          schema: {
            allOf: [
              { $ref: "#/components/schemas/Error" },
              {
                type: "object",
                // Repeated from Error, so generated clients type `data.appCode` as this enum.
                required: ["data"],
                properties: {
                  data: {
                    type: "object",
                    required: ["appCode", "httpStatus"],
                    properties: {
                      appCode: { type: "string", enum: [...codes].sort() },
                      httpStatus: { type: "integer", const: status },
                    },
                  },
                },
              },
            ],
          },
        },
      },
    };
  }
  return responses;
}
