import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appCodes } from "@tenantry/api";

/** src/app-codes.ts as it should read for the router of this checkout. */
export function appCodesSource(): string {
  const lines = appCodes().map((code) => `  "${code}",`);
  return `/*
 * Every \`data.appCode\` the server can answer with. Written by \`pnpm --filter @tenantry/sdk app-codes\`
 * from the API's error declarations, the source of the OpenAPI document's enums too; a test
 * fails when it is stale. Do not edit by hand.
 */
export const appCodes = [
${lines.join("\n")}
] as const;

/** A stable error code: \`if (isTenantryError(e) && e.data.appCode === "OUT_OF_STOCK")\` is checked by the compiler. */
export type AppCode = (typeof appCodes)[number];
`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL("../src/app-codes.ts", import.meta.url));
  writeFileSync(target, appCodesSource());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
