import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as ServerEntry from "../../src/index.ts";

/**
 * The server the HTTP suites drive: its source (the default), or its build with
 * `TEST_SERVER=build` (CI runs them that way too, after `pnpm build`), so the bundle that
 * production runs is tested as the same server rather than assumed to be one.
 */
export const serverUnderTest: "source" | "build" = process.env.TEST_SERVER === "build" ? "build" : "source";

const serverDir = path.resolve(import.meta.dirname, "../..");
const entry = serverUnderTest === "build" ? pathToFileURL(path.join(serverDir, "dist/index.js")).href : "../../src/index.ts";

const server = (await import(/* @vite-ignore */ entry)) as typeof ServerEntry;

export const { createLogger, loadConfig, startServer, StartupError } = server;

/** How to run the server's entry point as its own process. */
export const mainCommand = serverUnderTest === "build" ? ["dist/main.js"] : ["--import", "tsx", "src/main.ts"];

/** How to run one of the server's command-line tools (`src/cli/<name>.ts`) as its own process. */
export const cliCommand = (name: string) =>
  serverUnderTest === "build" ? [`dist/${name}.js`] : ["--import", "tsx", `src/cli/${name}.ts`];
