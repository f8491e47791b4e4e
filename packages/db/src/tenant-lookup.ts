import type { DbClient } from "./database.ts";
import type { TenantDb } from "./tenant-scope.ts";

/**
 * Lookups that must cross tenants before a tenant is known. Each calls a SECURITY DEFINER
 * function from the row-level-security migration that returns only what the caller needs, so
 * the application role never reads other tenants' rows directly.
 */
export interface TenantIdentity {
  id: string;
  slug: string;
  status: "active" | "suspended";
}

type Queryable = Pick<DbClient, "$queryRaw"> | Pick<TenantDb, "$queryRaw">;

/** By id or slug. */
export async function findTenantByReference(db: Queryable, reference: string): Promise<TenantIdentity | null> {
  const rows = await db.$queryRaw<
    TenantIdentity[]
  >`select id::text as id, slug, status::text as status from tenant_by_reference(${reference})`;
  return rows[0] ?? null;
}

/** Only verified domains resolve. */
export async function findTenantByDomain(db: Queryable, host: string): Promise<TenantIdentity | null> {
  const rows = await db.$queryRaw<
    TenantIdentity[]
  >`select id::text as id, slug, status::text as status from tenant_by_domain(${host})`;
  return rows[0] ?? null;
}

export async function findInvitationTenant(db: Queryable, tokenHash: string): Promise<string | null> {
  const rows = await db.$queryRaw<Array<{ tenant_id: string | null }>>`select invitation_tenant(${tokenHash})::text as tenant_id`;
  return rows[0]?.tenant_id ?? null;
}

export async function isDomainTaken(db: Queryable, domain: string): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ taken: boolean }>>`select domain_is_taken(${domain}) as taken`;
  return rows[0]?.taken === true;
}

/**
 * The slugs of the tenants `userId` is the only owner of. Every tenant they own is locked first
 * (in id order, as `lockTenant` locks one), until the transaction ends, so no owner can come or
 * go between this answer and what the caller does with it.
 */
export async function lockSoleOwnedTenants(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ slug: string }>>`select slug from lock_sole_owned_tenants(${userId}::uuid)`;
  return rows.map((row) => row.slug);
}

/**
 * Drops another tenant's claim on `domain` if it was never verified and is older than
 * `maxAgeDays`, so a squatter cannot hold a domain its owner wants. Returns how many went.
 */
export async function releaseStaleDomainClaim(db: Queryable, domain: string, maxAgeDays: number): Promise<number> {
  const rows = await db.$queryRaw<
    Array<{ released: number }>
  >`select release_stale_domain_claim(${domain}, make_interval(days => ${maxAgeDays}::int)) as released`;
  return rows[0]?.released ?? 0;
}
