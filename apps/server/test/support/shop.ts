import type { RouterOutputs } from "@tenantry/api";
import { expect } from "vitest";
import type { SignedUp } from "./sign-up.ts";
import {
  createTenant,
  expectStatus,
  register,
  type CallOptions,
  type Subscription,
  type TenantClient,
  type TenantSummary,
} from "./tenants.ts";

/**
 * Helpers for the module and shop HTTP suites: a tenant on a chosen plan, the module lifecycle
 * over REST, products and notifications. Response shapes come from the router.
 */

export type TenantModule = RouterOutputs["modules"]["list"][number];
export type NotificationPage = RouterOutputs["notifications"]["list"];
export type Notification = NotificationPage["items"][number];
export type ShopSettings = RouterOutputs["modules"]["shop"]["settings"]["get"];
export type Product = RouterOutputs["modules"]["shop"]["catalog"]["products"]["create"];
export type ProductPage = RouterOutputs["modules"]["shop"]["catalog"]["products"]["list"];
export type StorefrontProductPage = RouterOutputs["modules"]["shop"]["products"]["list"];
export type Storefront = RouterOutputs["modules"]["shop"]["storefront"]["get"];
export type Order = RouterOutputs["modules"]["shop"]["orders"]["place"];
export type OrderPage = RouterOutputs["modules"]["shop"]["orders"]["list"];

/** Who calls, and in which tenant (`X-Tenant`). */
export type As = { token: string; tenant: string };

/** The shop's settings when nothing was changed (modules/shop/src/settings.ts). */
export const defaultShopSettings: ShopSettings = {
  currency: "EUR",
  storefrontTitle: "Shop",
  theme: { primaryColor: "#1f6feb", accentColor: "#f78166", backgroundColor: "#ffffff", textColor: "#1f2328" },
};

export interface OwnedTenant {
  owner: SignedUp;
  tenant: TenantSummary;
  as: As;
}

/** A fresh owner with a fresh tenant, moved to `plan` unless that is free (where tenants start). */
export async function ownTenant(
  server: { url: string },
  api: TenantClient,
  plan: "free" | "pro" | "business" = "free",
): Promise<OwnedTenant> {
  const owner = await register(server);
  const tenant = await createTenant(server, owner.accessToken);
  const as = { token: owner.accessToken, tenant: tenant.slug };
  if (plan !== "free") await changePlan(api, as, plan);
  return { owner, tenant, as };
}

export async function changePlan(api: TenantClient, as: As, planCode: string): Promise<Subscription> {
  const subscription = await expectStatus<Subscription>(await api.patch("/tenant/subscription", { planCode }, as), 200);
  expect(subscription.plan.code).toBe(planCode);
  return subscription;
}

export async function listModules(api: TenantClient, as: CallOptions): Promise<TenantModule[]> {
  return expectStatus<TenantModule[]>(await api.get("/tenant/modules", as), 200);
}

/** The tenant's entry for the shop module. */
export async function shopEntry(api: TenantClient, as: CallOptions): Promise<TenantModule> {
  const entry = (await listModules(api, as)).find((m) => m.id === "shop");
  expect(entry, "the shop module is listed").toBeDefined();
  return entry!;
}

export function enableShop(api: TenantClient, as: As, settings?: Record<string, unknown>): Promise<Response> {
  return api.post("/tenant/modules/shop/enable", settings === undefined ? {} : { settings }, as);
}

export function disableShop(api: TenantClient, as: As): Promise<Response> {
  return api.post("/tenant/modules/shop/disable", {}, as);
}

/** Enables the shop (200 required) and returns the tenant's entry for it. */
export async function enableShopOk(api: TenantClient, as: As, settings?: Record<string, unknown>): Promise<TenantModule> {
  const entry = await expectStatus<TenantModule>(await enableShop(api, as, settings), 200);
  expect(entry).toMatchObject({ id: "shop", allowedByPlan: true, enabled: true });
  return entry;
}

/** A fresh tenant on pro with the shop enabled. */
export async function shopTenant(server: { url: string }, api: TenantClient): Promise<OwnedTenant> {
  const owned = await ownTenant(server, api, "pro");
  await enableShopOk(api, owned.as);
  return owned;
}

export async function addProduct(
  api: TenantClient,
  as: CallOptions,
  input: { name: string; priceMinor: number; stock?: number; active?: boolean; description?: string; currency?: string },
): Promise<Product> {
  return expectStatus<Product>(await api.post("/modules/shop/catalog/products", input, as), 201);
}

/** Every product of the catalogue as its managers see it (one page is plenty here). */
export async function catalog(api: TenantClient, as: CallOptions): Promise<Product[]> {
  const page = await expectStatus<ProductPage>(await api.get("/modules/shop/catalog/products?limit=100", as), 200);
  expect(page.nextCursor).toBeNull();
  return page.items;
}

/** GET /tenant/notifications with the given query string (e.g. `?limit=2`). */
export async function notificationsOf(api: TenantClient, as: CallOptions, query = ""): Promise<NotificationPage> {
  return expectStatus<NotificationPage>(await api.get(`/tenant/notifications${query}`, as), 200);
}

/** The caller's unread count in the tenant (`GET /tenant/notifications/unread-count`). */
export async function unreadOf(api: TenantClient, as: CallOptions): Promise<number> {
  const counted = await expectStatus<{ unread: number; capped: boolean }>(
    await api.get("/tenant/notifications/unread-count", as),
    200,
  );
  expect(counted.capped).toBe(false);
  return counted.unread;
}
