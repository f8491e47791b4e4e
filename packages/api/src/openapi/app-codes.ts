import { genericErrorCodes, listProcedures } from "@tenantry/api-core";
import { appRouter } from "../root.ts";
import { operationErrors } from "./operation-errors.ts";

/**
 * Codes only the transports answer with, before any procedure: a tRPC batch over the limit, a
 * REST path no operation has.
 */
const transportCodes = ["BATCH_TOO_LARGE", "ROUTE_NOT_FOUND"];

/**
 * Every `data.appCode` a client can receive, sorted: what each procedure can answer (the same
 * function gives the OpenAPI document its enums), the generic codes of errors raised outside a
 * procedure's own, and the transports' refusals. The SDK's `AppCode` type is written from this
 * (`pnpm --filter @tenantry/sdk app-codes`; a test fails when it is stale).
 */
export function appCodes(): string[] {
  const codes = new Set<string>([...Object.values(genericErrorCodes), ...transportCodes]);
  for (const procedure of listProcedures(appRouter)) {
    const path = procedure.meta?.openapi?.path ?? "";
    const errors = operationErrors(procedure, { hasPathParameters: path.includes("{"), paginated: true });
    for (const set of errors.values()) for (const code of set) codes.add(code);
  }
  return [...codes].sort();
}
