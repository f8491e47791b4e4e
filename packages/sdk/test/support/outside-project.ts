import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * The SDK as a frontend gets it: packed (`pnpm pack`, which builds it), installed with npm into a
 * project outside the monorepo beside tRPC and TanStack Query at the versions the registry serves
 * together (@trpc/tanstack-react-query 11.22.1 pins @trpc/client and @trpc/server to exactly
 * 11.22.1; the SDK's peer range takes them, so one copy of each is installed), then compiled
 * with strict TypeScript under `moduleResolution` node16 and bundler. The consumer uses the
 * client, TanStack Query's options proxy, the session refresh and a typed app-code branch, and
 * wrong calls that must not compile. Needs the npm registry.
 */

const versions = {
  trpc: "11.22.1",
  tanstackQuery: "5.108.4",
  react: "19.3.1",
  reactTypes: "19.3.3",
  typescript: "5.9.3",
};

const consumerSource = `
import { QueryClient } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import {
  createClient,
  createSession,
  isSignedOutError,
  isTenantryError,
  type AppCode,
  type AppRouter,
  type RouterOutputs,
} from "@tenantry/sdk";

const session = createSession({
  tokens: { accessToken: "a", refreshToken: "r" },
  onTokens: (tokens) => tokens && localStorage.setItem("refreshToken", tokens.refreshToken),
  onSignedOut: (error) => console.warn("signed out:", error.reason),
});
export const client = createClient({ url: "https://api.example.test", session, tenant: () => "acme" });

const queryClient = new QueryClient();
export const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });

export async function loadProducts(): Promise<string[]> {
  const page: RouterOutputs["modules"]["shop"]["products"]["list"] = await queryClient.fetchQuery(
    trpc.modules.shop.products.list.queryOptions({ limit: 10 }),
  );
  const key = trpc.modules.shop.products.list.queryKey({ limit: 10 });
  return [String(key.length), ...page.items.map((product) => product.name)];
}

export async function buy(productId: string): Promise<string> {
  try {
    const order = await client.modules.shop.orders.place.mutate({ items: [{ productId, quantity: 1 }] });
    return order.id;
  } catch (error) {
    if (isSignedOutError(error)) return "sign in again (" + error.reason + ")";
    if (isTenantryError(error) && error.data.appCode === "OUT_OF_STOCK") return "sold out";
    if (isTenantryError(error)) {
      const code: AppCode = error.data.appCode;
      // @ts-expect-error the server has no such code
      if (error.data.appCode === "NO_SUCH_CODE") return code;
      return code;
    }
    throw error;
  }
}

export async function wrong(): Promise<void> {
  // @ts-expect-error quantity is a number
  await client.modules.shop.orders.place.mutate({ items: [{ productId: "p", quantity: "1" }] });
  // @ts-expect-error there is no such procedure
  await client.modules.shop.orders.cancelEverything.mutate();
  // @ts-expect-error a query, not a mutation
  trpc.modules.shop.products.list.mutationOptions();
}
`;

function tsconfig(moduleResolution: "node16" | "bundler") {
  return {
    compilerOptions: {
      strict: true,
      noEmit: true,
      module: moduleResolution === "node16" ? "node16" : "esnext",
      moduleResolution,
      target: "es2022",
      lib: ["es2022", "dom", "dom.iterable", "esnext.disposable"],
      jsx: "react-jsx",
      // As frontend templates set it: tRPC 11.22.1's own server declarations import node's
      // `http` and `ws`. Ours are checked with skipLibCheck off in standalone-types.test.ts.
      skipLibCheck: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      types: [],
    },
    files: ["consumer.ts"],
  };
}

/** The tests of the packed SDK; `tarball` is asked for once the file's `beforeAll` has packed it. */
export function describeOutsideProject(tarball: () => string): void {
  describe("the packed SDK in a project outside the monorepo, with TanStack Query", { timeout: 300_000 }, () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), "tenantry-sdk-outside-"));
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
      execFileSync(
        "npm",
        [
          "install",
          "--no-audit",
          "--no-fund",
          "--ignore-scripts",
          "--loglevel=error",
          tarball(),
          `@trpc/client@${versions.trpc}`,
          `@trpc/server@${versions.trpc}`,
          `@trpc/tanstack-react-query@${versions.trpc}`,
          `@tanstack/react-query@${versions.tanstackQuery}`,
          `react@${versions.react}`,
          `@types/react@${versions.reactTypes}`,
          `typescript@${versions.typescript}`,
        ],
        { cwd: dir, stdio: "pipe" },
      );
      writeFileSync(path.join(dir, "consumer.ts"), consumerSource);
      // npm fetches from the registry: minutes when CI runs every package at once.
    }, 600_000);
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("installs one copy of @trpc/client and @trpc/server, the one TanStack Query pins", () => {
      const tree = JSON.parse(
        execFileSync("npm", ["ls", "--all", "--json", "@trpc/client", "@trpc/server"], { cwd: dir, encoding: "utf8" }),
      ) as unknown;
      const found = new Set<string>();
      const walk = (node: { dependencies?: Record<string, { version?: string; dependencies?: unknown }> }) => {
        for (const [name, child] of Object.entries(node.dependencies ?? {})) {
          if (name.startsWith("@trpc/client") || name.startsWith("@trpc/server")) found.add(`${name}@${child.version}`);
          walk(child as never);
        }
      };
      walk(tree as never);
      expect([...found].sort()).toEqual([`@trpc/client@${versions.trpc}`, `@trpc/server@${versions.trpc}`]);
    });

    for (const moduleResolution of ["node16", "bundler"] as const) {
      it(`compiles strictly with moduleResolution ${moduleResolution}, and refuses the wrong calls`, () => {
        writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig(moduleResolution)));
        const result = spawnSync(process.execPath, [path.join(dir, "node_modules/typescript/bin/tsc"), "-p", dir], {
          encoding: "utf8",
        });
        expect(result.stdout + result.stderr).toBe("");
        expect(result.status).toBe(0);
      });
    }
  });
}
