import { randomBytes } from "node:crypto";
import type { FakeDns } from "./fake-dns.ts";
import { signUp, uniqueEmail } from "./sign-up.ts";
import { verifyEmail } from "./tenants.ts";

/**
 * The world the tenant isolation suite attacks, and one fixture per tenant-scoped procedure
 * saying how to call it against tenant B. The suite enumerates the router and fails for every
 * tenant-scoped procedure without an entry here, so a new procedure is never silently skipped.
 */

export interface Account {
  userId: string;
  email: string;
  displayName: string;
  accessToken: string;
}

export interface TenantRef {
  id: string;
  slug: string;
  name: string;
}

export interface World {
  /** The attacker's tenant: ownerA (owner), memberA (member), an unverified domain, a pending invitation. */
  a: TenantRef;
  /** The victim: ownerB (owner), memberB (member), a verified domain, a pending invitation. */
  b: TenantRef;
  ownerA: Account;
  memberA: Account;
  ownerB: Account;
  memberB: Account;
  /** Signed in, a member of no tenant. */
  outsider: Account;
  aDomain: { id: string; domain: string };
  bDomain: { id: string; domain: string; verificationValue: string };
  aInvitation: { id: string; email: string };
  bInvitation: { id: string; email: string; token: string };
  /** B's shop (enabled on the pro plan, as A's is): what its storefront shows, and what it does not. */
  bShop: {
    categoryId: string;
    categorySlug: string;
    activeProduct: { id: string; name: string };
    inactiveProduct: { id: string; name: string };
    order: { id: string; note: string };
    /** Bought in B's shop; a member of no tenant. */
    customer: Account;
    /** One of ownerB's notifications. */
    notificationId: string;
  };
  /** A's shop: one active product. */
  aShop: { productId: string };
}

/** One way of calling a procedure; its input names B's objects wherever the input has ids. */
export interface IsolationCase {
  /** Says what the input aims at, for failure messages. */
  label: string;
  /** The procedure's input; `undefined` sends none. */
  input: unknown;
  /**
   * The answer when the caller sends this input in their own tenant (A). A 2xx must have acted
   * on the caller's tenant only; the suite checks that B is untouched and that no B data comes back.
   */
  inOwnTenant: { status: 200 } | { status: number; appCode: string };
  /**
   * Storefront and customer procedures only (they serve non-members of B by design): the
   * answer a signed-in non-member (or, for storefronts, anyone) gets calling in B.
   */
  inB?: { status: 200 } | { status: number; appCode: string };
}

export interface IsolationFixture {
  cases: (world: World) => IsolationCase[];
}

const ok = { status: 200 } as const;
const refused = (status: number, appCode: string) => ({ status, appCode });

/** Keyed by the procedure's tRPC path (as `listProcedures(appRouter)` names them). */
export const isolationFixtures: Record<string, IsolationFixture> = {
  "tenants.public": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.get": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.update": {
    cases: (w) => [
      { label: "rename", input: { name: "Renamed by an attacker" }, inOwnTenant: ok },
      { label: "take B's slug", input: { slug: w.b.slug }, inOwnTenant: refused(409, "SLUG_TAKEN") },
    ],
  },
  "tenants.delete": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  // ownerA is the only owner of the tenant the call runs in.
  "tenants.leave": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: refused(409, "LAST_OWNER") }] },

  "tenants.members.list": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.members.changeRole": {
    cases: (w) => [
      {
        label: "promote B's member",
        input: { userId: w.memberB.userId, role: "owner" },
        inOwnTenant: refused(404, "MEMBER_NOT_FOUND"),
      },
      {
        label: "demote B's owner",
        input: { userId: w.ownerB.userId, role: "member" },
        inOwnTenant: refused(404, "MEMBER_NOT_FOUND"),
      },
    ],
  },
  "tenants.members.remove": {
    cases: (w) => [
      { label: "B's member", input: { userId: w.memberB.userId }, inOwnTenant: refused(404, "MEMBER_NOT_FOUND") },
      { label: "B's owner", input: { userId: w.ownerB.userId }, inOwnTenant: refused(404, "MEMBER_NOT_FOUND") },
    ],
  },

  // Inviting B's people into A must work like inviting anyone: an ALREADY_MEMBER or
  // INVITATION_PENDING here would tell A who belongs to (or is invited to) B.
  "tenants.invitations.create": {
    cases: (w) => [
      { label: "B's member's email", input: { email: w.memberB.email, role: "member" }, inOwnTenant: ok },
      { label: "B's invitee's email", input: { email: w.bInvitation.email, role: "admin" }, inOwnTenant: ok },
    ],
  },
  "tenants.invitations.list": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.invitations.revoke": {
    cases: (w) => [
      {
        label: "B's pending invitation",
        input: { invitationId: w.bInvitation.id },
        inOwnTenant: refused(404, "INVITATION_NOT_FOUND"),
      },
    ],
  },

  "tenants.domains.list": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  // Domains are unique across the platform (and B's resolves publicly), so "taken" is no leak.
  "tenants.domains.add": {
    cases: (w) => [{ label: "claim B's domain", input: { domain: w.bDomain.domain }, inOwnTenant: refused(409, "DOMAIN_TAKEN") }],
  },
  "tenants.domains.verify": {
    cases: (w) => [{ label: "B's domain", input: { domainId: w.bDomain.id }, inOwnTenant: refused(404, "DOMAIN_NOT_FOUND") }],
  },
  "tenants.domains.setPrimary": {
    cases: (w) => [{ label: "B's domain", input: { domainId: w.bDomain.id }, inOwnTenant: refused(404, "DOMAIN_NOT_FOUND") }],
  },
  "tenants.domains.remove": {
    cases: (w) => [{ label: "B's domain", input: { domainId: w.bDomain.id }, inOwnTenant: refused(404, "DOMAIN_NOT_FOUND") }],
  },

  "tenants.subscription.get": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.subscription.changePlan": { cases: () => [{ label: "upgrade to pro", input: { planCode: "pro" }, inOwnTenant: ok }] },

  "notifications.list": { cases: () => [{ label: "no input", input: {}, inOwnTenant: ok }] },
  "notifications.unreadCount": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "notifications.markRead": {
    // Ids of others' notifications are ignored: marked 0, and ownerB's stays unread.
    cases: (w) => [{ label: "ownerB's notification", input: { ids: [w.bShop.notificationId] }, inOwnTenant: ok }],
  },
  "notifications.markAllRead": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },

  "audit.list": {
    // Filters name B's people: the answer is still A's events only (none of them by ownerB).
    cases: (w) => [
      { label: "no input", input: {}, inOwnTenant: ok },
      { label: "ownerB's doings", input: { actorId: w.ownerB.userId }, inOwnTenant: ok },
    ],
  },

  "modules.list": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  // Mutations run in a fresh tenant on the free plan.
  "modules.enable": {
    cases: () => [{ label: "the shop", input: { moduleId: "shop" }, inOwnTenant: refused(403, "MODULE_NOT_IN_PLAN") }],
  },
  "modules.disable": { cases: () => [{ label: "the shop", input: { moduleId: "shop" }, inOwnTenant: ok }] },

  ...shopFixtures(),
};

/**
 * The shop's procedures. Queries run in A (shop enabled); mutations in a fresh tenant of
 * ownerA with the shop enabled. B's storefront (active products, categories, title, theme)
 * is public; its inactive products, orders, customers and stock are not.
 */
function shopFixtures(): Record<string, IsolationFixture> {
  const storefront = (
    label: string,
    input: unknown,
    inOwnTenant: IsolationCase["inOwnTenant"],
    inB: IsolationCase["inB"],
  ): IsolationCase => ({
    label,
    input,
    inOwnTenant,
    inB,
  });
  return {
    "modules.shop.storefront.get": { cases: () => [storefront("no input", undefined, ok, ok)] },
    "modules.shop.categories.list": { cases: () => [storefront("first page", { limit: 50 }, ok, ok)] },
    "modules.shop.products.list": {
      cases: (w) => [
        storefront("first page", { limit: 50 }, ok, ok),
        storefront("B's category", { categoryId: w.bShop.categoryId, limit: 50 }, ok, ok),
      ],
    },
    "modules.shop.products.get": {
      cases: (w) => [
        storefront("B's active product", { productId: w.bShop.activeProduct.id }, refused(404, "PRODUCT_NOT_FOUND"), ok),
        storefront(
          "B's inactive product",
          { productId: w.bShop.inactiveProduct.id },
          refused(404, "PRODUCT_NOT_FOUND"),
          refused(404, "PRODUCT_NOT_FOUND"),
        ),
      ],
    },
    "modules.shop.orders.place": {
      cases: (w) => [
        // In B, ownerA is just a customer, and B's product has fewer than 50.
        storefront(
          "50 of B's active product",
          { items: [{ productId: w.bShop.activeProduct.id, quantity: 50 }] },
          refused(404, "PRODUCT_NOT_FOUND"),
          refused(409, "OUT_OF_STOCK"),
        ),
        storefront(
          "B's inactive product",
          { items: [{ productId: w.bShop.inactiveProduct.id, quantity: 1 }] },
          refused(404, "PRODUCT_NOT_FOUND"),
          refused(404, "PRODUCT_NOT_FOUND"),
        ),
      ],
    },
    "modules.shop.orders.mine": { cases: () => [storefront("first page", { limit: 50 }, ok, ok)] },

    "modules.shop.catalog.products.list": { cases: () => [{ label: "first page", input: { limit: 50 }, inOwnTenant: ok }] },
    "modules.shop.catalog.products.create": {
      cases: (w) => [
        {
          label: "in B's category",
          input: { name: "Planted", priceMinor: 100, categoryId: w.bShop.categoryId },
          inOwnTenant: refused(404, "CATEGORY_NOT_FOUND"),
        },
      ],
    },
    "modules.shop.catalog.products.update": {
      cases: (w) => [
        {
          label: "B's product",
          input: { productId: w.bShop.activeProduct.id, stock: 0, name: "Renamed by A" },
          inOwnTenant: refused(404, "PRODUCT_NOT_FOUND"),
        },
      ],
    },
    "modules.shop.catalog.products.delete": {
      cases: (w) => [
        {
          label: "B's active product",
          input: { productId: w.bShop.activeProduct.id },
          inOwnTenant: refused(404, "PRODUCT_NOT_FOUND"),
        },
        {
          label: "B's inactive product",
          input: { productId: w.bShop.inactiveProduct.id },
          inOwnTenant: refused(404, "PRODUCT_NOT_FOUND"),
        },
      ],
    },
    "modules.shop.catalog.categories.create": {
      // Slugs are per tenant: B's is free in A.
      cases: (w) => [{ label: "B's slug", input: { name: "Copy", slug: w.bShop.categorySlug }, inOwnTenant: ok }],
    },
    "modules.shop.catalog.categories.update": {
      cases: (w) => [
        {
          label: "B's category",
          input: { categoryId: w.bShop.categoryId, name: "Renamed by A" },
          inOwnTenant: refused(404, "CATEGORY_NOT_FOUND"),
        },
      ],
    },
    "modules.shop.catalog.categories.delete": {
      cases: (w) => [
        { label: "B's category", input: { categoryId: w.bShop.categoryId }, inOwnTenant: refused(404, "CATEGORY_NOT_FOUND") },
      ],
    },
    "modules.shop.orders.list": { cases: () => [{ label: "first page", input: { limit: 50 }, inOwnTenant: ok }] },
    "modules.shop.orders.get": {
      cases: (w) => [{ label: "B's order", input: { orderId: w.bShop.order.id }, inOwnTenant: refused(404, "ORDER_NOT_FOUND") }],
    },
    "modules.shop.orders.updateStatus": {
      cases: (w) => [
        {
          label: "cancel B's order",
          input: { orderId: w.bShop.order.id, status: "cancelled" },
          inOwnTenant: refused(404, "ORDER_NOT_FOUND"),
        },
      ],
    },
    "modules.shop.settings.get": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
    "modules.shop.settings.update": {
      cases: () => [{ label: "retitle", input: { storefrontTitle: "Hijacked" }, inOwnTenant: ok }],
    },
  };
}

/**
 * Everything of B's that A must never read. Ids, slug and name are B's public face (the
 * `public` procedures show them); the suite allows exactly those there.
 */
export function privateValuesOfB(w: World): Array<{ label: string; value: string }> {
  return [
    { label: "B's id", value: w.b.id },
    { label: "B's slug", value: w.b.slug },
    { label: "B's name", value: w.b.name },
    { label: "ownerB's user id", value: w.ownerB.userId },
    { label: "ownerB's email", value: w.ownerB.email },
    { label: "ownerB's display name", value: w.ownerB.displayName },
    { label: "memberB's user id", value: w.memberB.userId },
    { label: "memberB's email", value: w.memberB.email },
    { label: "memberB's display name", value: w.memberB.displayName },
    { label: "B's domain id", value: w.bDomain.id },
    { label: "B's domain", value: w.bDomain.domain },
    { label: "B's domain verification value", value: w.bDomain.verificationValue },
    { label: "B's invitation id", value: w.bInvitation.id },
    { label: "B's invitation email", value: w.bInvitation.email },
    { label: "B's invitation token", value: w.bInvitation.token },
    { label: "B's inactive product id", value: w.bShop.inactiveProduct.id },
    { label: "B's inactive product name", value: w.bShop.inactiveProduct.name },
    { label: "B's order id", value: w.bShop.order.id },
    { label: "B's order note", value: w.bShop.order.note },
    { label: "B's customer's user id", value: w.bShop.customer.userId },
    { label: "B's customer's email", value: w.bShop.customer.email },
    { label: "ownerB's notification id", value: w.bShop.notificationId },
  ];
}

/** What B's storefront shows anyone: allowed in the answers of storefront procedures called in B. */
export function publicValuesOfB(w: World): string[] {
  return [w.bShop.activeProduct.id, w.bShop.activeProduct.name, w.bShop.categoryId, w.bShop.categorySlug];
}

// ---------------------------------------------------------------------------------------------
// Building the world through the REST API.

export interface RestAnswer<T = unknown> {
  status: number;
  body: T;
}

export async function restCall<T = unknown>(
  baseUrl: string,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: { token?: string; tenant?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RestAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant !== undefined) headers["x-tenant"] = options.tenant;
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Like `restCall`, but throws (with the answer) unless it succeeded (200, or 201 for a creation). */
export async function restOk<T>(...args: Parameters<typeof restCall>): Promise<T> {
  const answer = await restCall<T>(...args);
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`${args[1]} ${args[2]} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

const suffix = () => randomBytes(4).toString("hex");

let nextAddress = 1;
/**
 * Registers with its own `X-Forwarded-For` (the server must trust one proxy hop), so the world
 * never runs into the 10-registrations-per-hour-per-address limit.
 */
export async function register(baseUrl: string, label: string): Promise<Account> {
  const displayName = `${label} ${suffix()}`;
  const address = `198.51.100.${nextAddress}`;
  nextAddress = (nextAddress % 250) + 1;
  const signedUp = await signUp(baseUrl, {
    email: uniqueEmail(label),
    displayName,
    headers: { "x-forwarded-for": address },
  });
  return { userId: signedUp.user.id, email: signedUp.email, displayName, accessToken: signedUp.accessToken };
}

/** A new tenant owned by `owner`. */
export async function createTenant(baseUrl: string, owner: Account, label: string): Promise<TenantRef> {
  const slug = `${label}-${suffix()}`;
  const name = `Isolation ${label} ${suffix()}`;
  const created = await restOk<TenantRef>(baseUrl, "POST", "/tenants", { token: owner.accessToken, body: { slug, name } });
  return { id: created.id, slug: created.slug, name: created.name };
}

async function inviteAndAccept(baseUrl: string, tenant: TenantRef, owner: Account, invitee: Account) {
  const { token } = await restOk<{ token: string }>(baseUrl, "POST", "/tenant/invitations", {
    token: owner.accessToken,
    tenant: tenant.slug,
    body: { email: invitee.email, role: "member" },
  });
  await verifyEmail({ url: baseUrl }, invitee);
  await restOk(baseUrl, "POST", "/invitations/accept", { token: invitee.accessToken, body: { token } });
}

interface DomainEntry {
  id: string;
  domain: string;
  verified: boolean;
  verification: { name: string; value: string };
}

export async function buildWorld(baseUrl: string, dns: FakeDns): Promise<World> {
  const ownerA = await register(baseUrl, "owner-a");
  const memberA = await register(baseUrl, "member-a");
  const ownerB = await register(baseUrl, "owner-b");
  const memberB = await register(baseUrl, "member-b");
  const outsider = await register(baseUrl, "outsider");

  const a = await createTenant(baseUrl, ownerA, "iso-a");
  const b = await createTenant(baseUrl, ownerB, "iso-b");
  await inviteAndAccept(baseUrl, a, ownerA, memberA);
  await inviteAndAccept(baseUrl, b, ownerB, memberB);

  const aDomain = await restOk<DomainEntry>(baseUrl, "POST", "/tenant/domains", {
    token: ownerA.accessToken,
    tenant: a.slug,
    body: { domain: `adom-${suffix()}.example.com` },
  });
  const bDomain = await restOk<DomainEntry>(baseUrl, "POST", "/tenant/domains", {
    token: ownerB.accessToken,
    tenant: b.slug,
    body: { domain: `bdom-${suffix()}.example.com` },
  });
  dns.setTxt(bDomain.verification.name, [bDomain.verification.value]);
  const verified = await restOk<DomainEntry>(baseUrl, "POST", `/tenant/domains/${bDomain.id}/verify`, {
    token: ownerB.accessToken,
    tenant: b.slug,
  });
  if (!verified.verified) throw new Error("B's domain did not verify");

  const aInvitationEmail = uniqueEmail("invitee-a");
  const aInvitation = await restOk<{ invitation: { id: string } }>(baseUrl, "POST", "/tenant/invitations", {
    token: ownerA.accessToken,
    tenant: a.slug,
    body: { email: aInvitationEmail, role: "member" },
  });
  const bInvitationEmail = uniqueEmail("invitee-b");
  const bInvitation = await restOk<{ invitation: { id: string }; token: string }>(baseUrl, "POST", "/tenant/invitations", {
    token: ownerB.accessToken,
    tenant: b.slug,
    body: { email: bInvitationEmail, role: "admin" },
  });

  return {
    a,
    b,
    ownerA,
    memberA,
    ownerB,
    memberB,
    outsider,
    aDomain: { id: aDomain.id, domain: aDomain.domain },
    bDomain: { id: bDomain.id, domain: bDomain.domain, verificationValue: bDomain.verification.value },
    aInvitation: { id: aInvitation.invitation.id, email: aInvitationEmail },
    bInvitation: { id: bInvitation.invitation.id, email: bInvitationEmail, token: bInvitation.token },
    ...(await buildShops(baseUrl, a, b, ownerA, ownerB)),
  };
}

/** Moves `tenant` to the pro plan and enables `moduleId` there, as its owner. */
export async function enableModuleIn(baseUrl: string, owner: Account, tenant: TenantRef, moduleId: string): Promise<void> {
  const as = { token: owner.accessToken, tenant: tenant.slug };
  await restOk(baseUrl, "PATCH", "/tenant/subscription", { ...as, body: { planCode: "pro" } });
  await restOk(baseUrl, "POST", `/tenant/modules/${moduleId}/enable`, as);
}

async function buildShops(
  baseUrl: string,
  a: TenantRef,
  b: TenantRef,
  ownerA: Account,
  ownerB: Account,
): Promise<Pick<World, "aShop" | "bShop">> {
  await enableModuleIn(baseUrl, ownerA, a, "shop");
  await enableModuleIn(baseUrl, ownerB, b, "shop");
  const asA = { token: ownerA.accessToken, tenant: a.slug };
  const asB = { token: ownerB.accessToken, tenant: b.slug };
  const aProduct = await restOk<{ id: string }>(baseUrl, "POST", "/modules/shop/catalog/products", {
    ...asA,
    body: { name: `A's mug ${suffix()}`, priceMinor: 900, stock: 10 },
  });
  const categorySlug = `b-cat-${suffix()}`;
  const category = await restOk<{ id: string }>(baseUrl, "POST", "/modules/shop/catalog/categories", {
    ...asB,
    body: { name: "B's category", slug: categorySlug },
  });
  const activeName = `B's lamp ${suffix()}`;
  const active = await restOk<{ id: string }>(baseUrl, "POST", "/modules/shop/catalog/products", {
    ...asB,
    body: { name: activeName, priceMinor: 4500, stock: 5, categoryId: category.id },
  });
  const inactiveName = `B's unreleased prototype ${suffix()}`;
  const inactive = await restOk<{ id: string }>(baseUrl, "POST", "/modules/shop/catalog/products", {
    ...asB,
    body: { name: inactiveName, priceMinor: 99_000, stock: 3, active: false },
  });
  const customer = await register(baseUrl, "b-customer");
  const note = `Leave it with the neighbour ${suffix()}`;
  const order = await restOk<{ id: string }>(baseUrl, "POST", "/modules/shop/orders", {
    token: customer.accessToken,
    tenant: b.slug,
    body: { items: [{ productId: active.id, quantity: 1 }], note },
  });
  const notifications = await restOk<{ items: Array<{ id: string }> }>(baseUrl, "GET", "/tenant/notifications", asB);
  return {
    aShop: { productId: aProduct.id },
    bShop: {
      categoryId: category.id,
      categorySlug,
      activeProduct: { id: active.id, name: activeName },
      inactiveProduct: { id: inactive.id, name: inactiveName },
      order: { id: order.id, note },
      customer,
      notificationId: notifications.items[0]!.id,
    },
  };
}

/** B as its owner sees it: what no call made by A may change. */
export async function snapshotOfB(baseUrl: string, w: World): Promise<Record<string, unknown>> {
  const read = (path: string) => restOk<unknown>(baseUrl, "GET", path, { token: w.ownerB.accessToken, tenant: w.b.slug });
  return {
    tenant: await read("/tenant"),
    public: await read("/tenant/public"),
    members: await read("/tenant/members"),
    domains: await read("/tenant/domains"),
    invitations: await read("/tenant/invitations"),
    subscription: await read("/tenant/subscription"),
    modules: await read("/tenant/modules"),
    notifications: await read("/tenant/notifications?limit=100"),
    unreadNotifications: await read("/tenant/notifications/unread-count"),
    shopSettings: await read("/modules/shop/settings"),
    shopCategories: await read("/modules/shop/categories"),
    shopProducts: await read("/modules/shop/catalog/products?limit=100"),
    shopOrders: await read("/modules/shop/orders?limit=100"),
  };
}
