import { isDeepStrictEqual } from "node:util";
import type { Target } from "./load.ts";
import type { SeededTenant } from "./seed.ts";
import type { RunningServer } from "./servers.ts";

export const storefrontRead = "storefront products.list";
export const memberRead = "member notifications.list";
const pageSize = 20;

const trpcInput = (input: unknown) => `input=${encodeURIComponent(JSON.stringify(input))}`;

/**
 * The two reads on one server. REST paths are the ones in /api/v1/openapi.json; tRPC is a plain
 * (unbatched) GET of the procedure, as the SDK's non-batching link sends it. `suffix` names the
 * checkout (`@other`) when two are compared.
 */
export function productTargets({ url, pid }: RunningServer, tenant: SeededTenant, suffix = ""): Target[] {
  const anonymous = async () => ({ "x-tenant": tenant.slug });
  const member = async () => ({ "x-tenant": tenant.slug, authorization: `Bearer ${await tenant.token()}` });
  return [
    {
      read: storefrontRead,
      transport: `REST${suffix}`,
      url: `${url}/api/v1/modules/shop/products?limit=${pageSize}`,
      pid,
      headers: anonymous,
    },
    {
      read: storefrontRead,
      transport: `tRPC${suffix}`,
      url: `${url}/trpc/modules.shop.products.list?${trpcInput({ limit: pageSize })}`,
      pid,
      headers: anonymous,
    },
    {
      read: memberRead,
      transport: `REST${suffix}`,
      url: `${url}/api/v1/tenant/notifications?limit=${pageSize}`,
      pid,
      headers: member,
    },
    {
      read: memberRead,
      transport: `tRPC${suffix}`,
      url: `${url}/trpc/notifications.list?${trpcInput({ limit: pageSize })}`,
      pid,
      headers: member,
    },
  ];
}

/** The hand-written server answers the REST paths. */
export function handWrittenTargets(server: RunningServer, tenant: SeededTenant): Target[] {
  return productTargets(server, tenant)
    .filter((t) => t.transport === "REST")
    .map((t) => ({ ...t, transport: "hand-written" }));
}

async function answer(target: Target): Promise<unknown> {
  const res = await fetch(target.url, { headers: await target.headers() });
  const body = (await res.json()) as { result?: { data?: unknown } };
  if (res.status !== 200) throw new Error(`${target.read} ${target.transport} answered ${res.status}: ${JSON.stringify(body)}`);
  return target.transport.startsWith("tRPC") ? body.result?.data : body;
}

/**
 * Before anything is timed: every target answers 200 with a full page, and on the same database
 * the hand-written server answers exactly what the product does (same items and cursor), so it
 * is measured doing the same work. Another checkout may answer another shape (an older contract).
 */
export async function checkSameAnswers(targets: Target[]): Promise<void> {
  for (const target of targets) {
    const body = (await answer(target)) as { items?: unknown[] };
    if (body.items?.length !== pageSize) throw new Error(`${target.read} ${target.transport}: expected ${pageSize} items`);
    if (target.transport.includes("@")) continue; // another checkout: another database
    const reference = targets.find((t) => t.read === target.read && t.transport === "hand-written");
    if (reference && reference !== target && !isDeepStrictEqual(body, await answer(reference))) {
      throw new Error(`${target.read}: ${target.transport} and hand-written answer differently`);
    }
  }
}
