import { createRequire } from "node:module";

/** The server's package version, shown in the OpenAPI document. */
export const serverVersion: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
