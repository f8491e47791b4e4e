import type { BenchDatabase } from "./database.ts";

/** The seeded tenant and its signed-in member (the owner: every owner is a member). */
export interface SeededTenant {
  slug: string;
  tenantId: string;
  userId: string;
  /** A live access token for the member; refreshed through the API before it can expire. */
  token(): Promise<string>;
}

export const productsInTenant = 30;
export const notificationsForMember = 30;

async function call<T>(baseUrl: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * Everything through the product's own API, as a customer of the platform would: register,
 * create the tenant, move it to the plan that allows the shop, enable the shop, add the products.
 * (Enabling the shop notifies the owner: the first of the member's notifications.)
 */
export async function seedThroughApi(baseUrl: string, slug: string): Promise<SeededTenant> {
  let tokens = await call<Tokens>(baseUrl, "POST", "/auth/email/register", {
    email: `owner-${slug}-${process.pid}@bench.test`,
    password: "tenantry-Bench-pass-9x!",
    displayName: "Bench owner",
  });
  let issuedAt = Date.now();
  const asOwner = () => ({ authorization: `Bearer ${tokens.accessToken}`, "x-tenant": slug });
  const tenant = await call<{ id: string }>(baseUrl, "POST", "/tenants", { slug, name: `Bench ${slug}` }, asOwner());
  await call(baseUrl, "PATCH", "/tenant/subscription", { planCode: "pro" }, asOwner());
  await call(baseUrl, "POST", "/tenant/modules/shop/enable", {}, asOwner());
  for (let i = 0; i < productsInTenant; i++) {
    await call(
      baseUrl,
      "POST",
      "/modules/shop/catalog/products",
      { name: `Product ${i}`, priceMinor: 100 + i, stock: 10 + i },
      asOwner(),
    );
  }
  const claims = JSON.parse(Buffer.from(tokens.accessToken.split(".")[1]!, "base64url").toString("utf8")) as { sub: string };
  return {
    slug,
    tenantId: tenant.id,
    userId: claims.sub,
    // Access tokens live 15 minutes; a run with several backends takes longer than that.
    async token() {
      if (Date.now() - issuedAt > 10 * 60_000) {
        tokens = await call<Tokens>(baseUrl, "POST", "/auth/refresh", { refreshToken: tokens.refreshToken });
        issuedAt = Date.now();
      }
      return tokens.accessToken;
    },
  };
}

/**
 * Tops the member's notifications up to `total`, older than those already there. There is no API
 * to create notifications (the platform writes them), so plain SQL as the owner, in one
 * `INSERT … SELECT generate_series` (a million rows take seconds). The first `notificationsForMember`
 * stay unread, as fresh ones are; the filler below them is read.
 */
export async function topUpNotifications(db: BenchDatabase, tenant: SeededTenant, total: number): Promise<void> {
  await db.ownerSql(async (query) => {
    const [{ count }] = (await query<{ count: number }>(
      "select count(*)::int as count from notifications where tenant_id = $1::uuid and user_id = $2::uuid",
      [tenant.tenantId, tenant.userId],
    )) as [{ count: number }];
    if (count >= total) return;
    await query(
      `insert into notifications (id, tenant_id, user_id, source, kind, title, body, data, read_at, created_at)
       select gen_random_uuid(), $1::uuid, $2::uuid, 'core', 'module.enabled', 'Notification ' || ($4::int + g),
              'Written by the bench', jsonb_build_object('moduleId', 'shop', 'by', $2::text),
              case when $4::int + g <= $5::int then null else b.base - g * interval '1 second' + interval '1 minute' end,
              b.base - g * interval '1 second'
         from generate_series(1, $3::int) g,
              (select coalesce(min(created_at), now()) as base from notifications
                where tenant_id = $1::uuid and user_id = $2::uuid) b`,
      [tenant.tenantId, tenant.userId, total - count, count, notificationsForMember],
    );
    // Fresh statistics, so the planner sees the table as it now is.
    await query("analyze notifications");
  });
}
