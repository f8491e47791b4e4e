import { randomBytes } from "node:crypto";
import { isDomainTaken, releaseStaleDomainClaim, UniqueConstraintError } from "@tenantry/db";
import { BadInputError, ConflictError, lockTenant, NotFoundError } from "@tenantry/api-core";
import type { MemberContext } from "./tenant-context.ts";
import { auditTenantChange } from "../audit/audit-trail.ts";

/** Where the verification token must be published: a TXT record under the domain. */
export const challengeRecordName = (domain: string) => `_tenantry-challenge.${domain}`;
const challengeValue = (token: string) => `tenantry-verification=${token}`;

export interface DomainEntry {
  id: string;
  domain: string;
  verified: boolean;
  verifiedAt: string | null;
  isPrimary: boolean;
  /** Publish this record, then call verify. */
  verification: { type: "TXT"; name: string; value: string };
  createdAt: string;
}

type DomainRow = {
  id: string;
  domain: string;
  verificationToken: string;
  verifiedAt: Date | null;
  isPrimary: boolean;
  createdAt: Date;
};

const toEntry = (row: DomainRow): DomainEntry => ({
  id: row.id,
  domain: row.domain,
  verified: row.verifiedAt !== null,
  verifiedAt: row.verifiedAt?.toISOString() ?? null,
  isPrimary: row.isPrimary,
  verification: { type: "TXT", name: challengeRecordName(row.domain), value: challengeValue(row.verificationToken) },
  createdAt: row.createdAt.toISOString(),
});

const domainTaken = () => new ConflictError("DOMAIN_TAKEN", "domain: this domain is already attached to a tenant.");

async function findDomain(ctx: MemberContext, domainId: string): Promise<DomainRow> {
  const row = await ctx.tenantDb.tenantDomain.findUnique({ where: { id: domainId } });
  if (!row) throw new NotFoundError("DOMAIN_NOT_FOUND", `domainId: no domain ${domainId} in this tenant.`);
  return row;
}

export async function listDomains(ctx: MemberContext): Promise<DomainEntry[]> {
  const rows = await ctx.tenantDb.tenantDomain.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(toEntry);
}

/** Unverified claims older than this no longer block another tenant from adding the domain. */
export const unverifiedClaimMaxAgeDays = 7;

/** `domain` arrives normalised (see the input schema). Unique across the platform. */
export async function addDomain(ctx: MemberContext, domain: string): Promise<DomainEntry> {
  await releaseStaleDomainClaim(ctx.tenantDb, domain, unverifiedClaimMaxAgeDays);
  if (await isDomainTaken(ctx.tenantDb, domain)) throw domainTaken();
  try {
    const row = await ctx.tenantDb.tenantDomain.create({
      data: { tenantId: ctx.tenant.id, domain, verificationToken: randomBytes(18).toString("base64url") },
    });
    await auditTenantChange(ctx, { action: "domain.added", targetType: "domain", targetId: row.id, details: { domain } });
    return toEntry(row);
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw domainTaken();
    throw error;
  }
}

/**
 * Looks up the TXT record through the injected resolver. Only a verified domain resolves
 * requests to the tenant.
 */
export async function verifyDomain(ctx: MemberContext, domainId: string): Promise<DomainEntry> {
  const row = await findDomain(ctx, domainId);
  if (row.verifiedAt) return toEntry(row);
  const name = challengeRecordName(row.domain);
  const expected = challengeValue(row.verificationToken);
  let records: string[][];
  try {
    records = await ctx.tenancy.dns.resolveTxt(name);
  } catch (error) {
    ctx.log.info({ err: error, name }, "domain verification lookup failed");
    records = [];
  }
  if (!records.some((chunks) => chunks.join("") === expected)) {
    throw new BadInputError(
      "DOMAIN_NOT_VERIFIED",
      `No TXT record ${name} with the value ${expected} was found. DNS changes can take a while; try again later.`,
    );
  }
  const verified = await ctx.tenantDb.tenantDomain.update({ where: { id: row.id }, data: { verifiedAt: ctx.auth.now() } });
  await auditTenantChange(ctx, {
    action: "domain.verified",
    targetType: "domain",
    targetId: row.id,
    details: { domain: row.domain },
  });
  ctx.afterCommit(() => ctx.tenancy.resolver.invalidateDomain(row.domain));
  return toEntry(verified);
}

/**
 * One primary domain per tenant: the old one is cleared and the new one set under the tenant
 * lock, since two requests at once would each clear before the other set, leaving both primary.
 */
export async function setPrimaryDomain(ctx: MemberContext, domainId: string): Promise<DomainEntry> {
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const row = await findDomain(ctx, domainId);
  if (!row.verifiedAt) throw new BadInputError("DOMAIN_NOT_VERIFIED", "Verify the domain before making it primary.");
  await ctx.tenantDb.tenantDomain.updateMany({ where: { isPrimary: true }, data: { isPrimary: false } });
  return toEntry(await ctx.tenantDb.tenantDomain.update({ where: { id: row.id }, data: { isPrimary: true } }));
}

export async function removeDomain(ctx: MemberContext, domainId: string): Promise<{ removed: true }> {
  const row = await findDomain(ctx, domainId);
  await ctx.tenantDb.tenantDomain.delete({ where: { id: row.id } });
  await auditTenantChange(ctx, {
    action: "domain.removed",
    targetType: "domain",
    targetId: row.id,
    details: { domain: row.domain },
  });
  ctx.afterCommit(() => ctx.tenancy.resolver.invalidateDomain(row.domain));
  return { removed: true };
}
