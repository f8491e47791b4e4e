import { signInAsAdmin } from "./accounts.ts";
import type { FakeDns } from "./fake-dns.ts";
import type { Pools } from "./fuzz-plausible.ts";
import { addProduct, changePlan, enableShopOk, type As, type OwnedTenant, type TenantModule } from "./shop.ts";
import type { TestServer } from "./test-server.ts";
import {
  accept,
  createTenant,
  expectStatus,
  invite,
  register,
  seedAdminPassword,
  tenantClient,
  uniqueSlug,
  type Domain,
  type TenantClient,
} from "./tenants.ts";

/**
 * The tenants the fuzz suite works in. The caller is the seeded platform admin, who owns the
 * fuzzed tenant (on the plan with every module, all of them on, with rows of every kind), so
 * every operation, the admin ones included, gets past its access checks and reads its input.
 * A bystander tenant of another owner holds rows of every kind too: the fuzz never names it, and
 * not a byte of it may change. A spare tenant is what the admin operations' `{tenant}` names, so
 * suspending it does not stop the rest of the run.
 */

export interface FuzzWorld {
  caller: { token: string; userId: string };
  fuzzed: { id: string; slug: string };
  bystander: { id: string; userIds: string[] };
  /** Rows of the fuzzed tenant (and the spare), by the field or parameter names that hold them. */
  pools: Pools;
  /** Rows of the bystander, by the same names. */
  foreign: Pools;
}

interface ShopRows {
  productId: string[];
  categoryId: string[];
  orderId: string[];
  userId: string[];
  invitationId: string[];
  domainId: string[];
}

/**
 * Products, categories, an order, a member, an invitation and two verified domains (their
 * challenge published in the fake DNS) in the tenant `as` names.
 */
async function stock(server: TestServer, api: TenantClient, dns: FakeDns, as: As, label: string): Promise<ShopRows> {
  const categories: string[] = [];
  for (const name of ["tea", "cups"]) {
    const res = await api.post("/modules/shop/catalog/categories", { name, slug: `${name}-${label}` }, as);
    categories.push((await expectStatus<{ id: string }>(res, 201)).id);
  }
  const products = [
    await addProduct(api, as, { name: `Green ${label}`, priceMinor: 450, stock: 1000 }),
    await addProduct(api, as, { name: `Black ${label}`, priceMinor: 390, stock: 1000 }),
    await addProduct(api, as, { name: `Mug ${label}`, priceMinor: 1200, stock: 5, active: false }),
  ];
  await expectStatus(
    await api.patch(`/modules/shop/catalog/products/${products[0]!.id}`, { categoryId: categories[0] }, as),
    200,
  );
  const order = await expectStatus<{ id: string }>(
    await api.post("/modules/shop/orders", { items: [{ productId: products[0]!.id, quantity: 2 }] }, as),
    201,
  );
  const member = await newMember(server, as);
  const { invitation } = await invite(server, as.token, as.tenant, { email: `invitee-${label}@example.test`, role: "admin" });
  const domains: string[] = [];
  for (const name of [`shop-${label}.example.com`, `www.shop-${label}.example.com`]) {
    const domain = await expectStatus<Domain>(await api.post("/tenant/domains", { domain: name }, as), 201);
    dns.setTxt(domain.verification.name, [domain.verification.value]);
    await expectStatus(await api.post(`/tenant/domains/${domain.id}/verify`, {}, as), 200);
    domains.push(domain.id);
  }
  return {
    productId: products.map((p) => p.id),
    categoryId: categories,
    orderId: [order.id],
    userId: [member],
    invitationId: [invitation.id],
    domainId: domains,
  };
}

/**
 * A member who joined by invitation. The fuzz server's mail goes to its log, so the address an
 * email invitation needs proven is marked verified in the database instead.
 */
async function newMember(server: TestServer, as: As): Promise<string> {
  const user = await register(server, { verifyEmail: false, mailbox: null });
  await server.db.withOwner((db) => db.user.update({ where: { id: user.user.id }, data: { emailVerifiedAt: new Date() } }));
  const { token } = await invite(server, as.token, as.tenant, { email: user.email, role: "member" });
  await accept(server, user.accessToken, token);
  return user.user.id;
}

/** A fresh owner (address unproven: nothing here needs it) of a fresh tenant on `plan`. */
async function ownTenant(server: TestServer, api: TenantClient, plan: "free" | "pro" = "free"): Promise<OwnedTenant> {
  const owner = await register(server, { verifyEmail: false, mailbox: null });
  const tenant = await createTenant(server, owner.accessToken);
  const as = { token: owner.accessToken, tenant: tenant.slug };
  if (plan !== "free") await changePlan(api, as, plan);
  return { owner, tenant, as };
}

async function enableEveryModule(api: TenantClient, as: As): Promise<string[]> {
  await expectStatus(await api.patch("/tenant/subscription", { planCode: "business" }, as), 200);
  const modules = await expectStatus<TenantModule[]>(await api.get("/tenant/modules", as), 200);
  for (const { id } of modules) await expectStatus(await api.post(`/tenant/modules/${id}/enable`, {}, as), 200);
  return modules.map((m) => m.id);
}

export async function fuzzWorld(server: TestServer, dns: FakeDns): Promise<FuzzWorld> {
  const api = tenantClient(server);
  const admin = await signInAsAdmin(server, seedAdminPassword);
  const tenant = await createTenant(server, admin.accessToken, { slug: uniqueSlug("fuzzed") });
  // By id: a fuzzed PATCH /tenant may well rename the slug.
  const as = { token: admin.accessToken, tenant: tenant.id };
  const moduleIds = await enableEveryModule(api, as);
  const rows = await stock(server, api, dns, as, tenant.slug);

  const blocked = await expectStatus<{ id: string }>(
    await api.post("/admin/blocked-phones", { value: "+4490", isPrefix: true }, { token: admin.accessToken }),
    201,
  );
  const content = await expectStatus<{ items: Array<{ key: string }> }>(await api.get("/platform/content"), 200);
  const notifications = await expectStatus<{ items: Array<{ id: string }> }>(await api.get("/tenant/notifications", as), 200);
  const spare = (await ownTenant(server, api)).tenant;

  const bystander = await ownTenant(server, api, "pro");
  await enableShopOk(api, bystander.as);
  const theirs = await stock(server, api, dns, bystander.as, bystander.tenant.slug);

  return {
    caller: { token: admin.accessToken, userId: admin.user.id },
    fuzzed: { id: tenant.id, slug: tenant.slug },
    bystander: { id: bystander.tenant.id, userIds: [bystander.owner.user.id, ...theirs.userId] },
    pools: {
      ...rows,
      ids: notifications.items.map((n) => n.id),
      id: [blocked.id],
      tenant: [spare.id, spare.slug],
      moduleId: moduleIds,
      key: content.items.map((c) => c.key),
      planCode: ["business"],
    },
    foreign: { ...theirs, userId: [bystander.owner.user.id, ...theirs.userId], tenantId: [bystander.tenant.id] },
  };
}
