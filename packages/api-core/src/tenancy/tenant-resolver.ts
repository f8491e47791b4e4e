import { findTenantByDomain, findTenantByReference, type DbClient, type TenantIdentity } from "@tenantry/db";
import { LRUCache } from "lru-cache";
import { TenantNotFoundError } from "./tenant-errors.ts";

/** Subdomains of the platform domain that belong to the platform, never to a tenant. */
export const reservedSubdomains = new Set([
  "www",
  "api",
  "admin",
  "app",
  "auth",
  "billing",
  "dashboard",
  "docs",
  "help",
  "mail",
  "static",
  "assets",
  "status",
  "support",
  "login",
  "signup",
  "tenantry",
  "system",
  "root",
]);

/** What one instance's cache change looks like to the others. */
export type CacheInvalidation =
  | { kind: "tenant"; tenantId: string }
  | { kind: "domain"; domain: string }
  | { kind: "reference"; reference: string }
  /** What the tenant facts cache holds of a tenant (its modules, settings, plan) changed. */
  | { kind: "tenantFacts"; tenantId: string }
  /** Published platform content changed (see ContentCache). */
  | { kind: "platformContent" };

/**
 * Carries invalidations between server instances (Redis pub/sub in the server). Without one,
 * other instances catch up when their entries expire.
 */
export interface InvalidationBus {
  publish(invalidation: CacheInvalidation): void;
  subscribe(handler: (invalidation: CacheInvalidation) => void): void;
}

export interface TenantResolverOptions {
  db: DbClient;
  /** e.g. `tenantry.app`: `<slug>.tenantry.app` is the tenant `slug`. Unset: no subdomains. */
  platformDomain?: string | undefined;
  /** How long a found tenant is trusted without asking the database. */
  ttlMs?: number;
  /** How long "no such tenant" is remembered, so unknown names cannot hammer the database. */
  negativeTtlMs?: number;
  /**
   * Most answers kept. Keys come from the request (`Host`, `X-Tenant`), so random names must
   * not grow memory: the least recently used answers go first.
   */
  maxEntries?: number;
  now?: () => number;
  bus?: InvalidationBus | undefined;
  /** Told whether each lookup was answered from the cache (metrics). */
  onLookup?: ((hit: boolean) => void) | undefined;
}

/** `null` is a remembered "no such tenant"; LRUCache cannot hold null itself. */
interface CacheEntry {
  tenant: TenantIdentity | null;
}

/**
 * Finds the tenant a request is for, in this order: a verified custom domain (`Host`),
 * `<slug>.<platform domain>`, then the `X-Tenant` header (id or slug). Answers are cached, so
 * in steady state resolving costs no database round trip; services that change slugs, domains
 * or tenants invalidate the entries they affect, here and, through the bus, in every other
 * instance. Without a bus, other instances see a change when their entry expires (`ttlMs`).
 */
export class TenantResolver {
  private readonly cache: LRUCache<string, CacheEntry>;
  /** One database lookup per key at a time: concurrent requests for a cold key share it. */
  private readonly inflight = new Map<string, Promise<TenantIdentity | null>>();
  /** Bumped by every invalidation, so a lookup that started before one is not cached after it. */
  private generation = 0;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;

  constructor(private readonly options: TenantResolverOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.cache = new LRUCache<string, CacheEntry>({
      max: options.maxEntries ?? 10_000,
      // Read the clock on every check (the default keeps one reading for a millisecond).
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
    });
    options.bus?.subscribe((invalidation) => this.forget(invalidation));
  }

  /**
   * The tenant named by the request, null when the request names none, or TenantNotFoundError
   * when it names one that does not exist.
   */
  async resolve(request: { host?: string | undefined; header?: string | undefined }): Promise<TenantIdentity | null> {
    const host = request.host?.toLowerCase().replace(/\.$/, "");
    if (host) {
      const byDomain = await this.cached(`domain:${host}`, () => findTenantByDomain(this.options.db, host));
      if (byDomain) return byDomain;
      const slug = this.platformSubdomain(host);
      if (slug) {
        const bySlug = await this.cached(`ref:${slug}`, () => findTenantByReference(this.options.db, slug));
        if (!bySlug) throw new TenantNotFoundError(slug);
        return bySlug;
      }
    }
    const reference = request.header?.trim().toLowerCase();
    if (!reference) return null;
    if (reference.length > 100) throw new TenantNotFoundError();
    const byReference = await this.cached(`ref:${reference}`, () => findTenantByReference(this.options.db, reference));
    if (!byReference) throw new TenantNotFoundError(reference);
    return byReference;
  }

  /** `acme.tenantry.app` → `acme`; null for the platform's own and reserved names. */
  private platformSubdomain(host: string): string | null {
    const platform = this.options.platformDomain;
    if (!platform || !host.endsWith(`.${platform}`)) return null;
    const label = host.slice(0, -(platform.length + 1));
    if (label.includes(".") || reservedSubdomains.has(label)) return null;
    return label;
  }

  private async cached(key: string, load: () => Promise<TenantIdentity | null>): Promise<TenantIdentity | null> {
    const hit = this.cache.get(key);
    this.options.onLookup?.(hit !== undefined);
    if (hit) return hit.tenant;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loading = load()
      .then((tenant) => {
        const ttl = tenant ? this.ttlMs : this.negativeTtlMs;
        if (generation === this.generation && ttl > 0) this.cache.set(key, { tenant }, { ttl });
        return tenant;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, loading);
    return loading;
  }

  /** After a tenant's slug, status or existence changed: forget every entry pointing at it. */
  invalidateTenant(tenantId: string): void {
    this.invalidate({ kind: "tenant", tenantId });
  }

  /** After a domain was verified, unverified or removed. */
  invalidateDomain(domain: string): void {
    this.invalidate({ kind: "domain", domain: domain.toLowerCase() });
  }

  /** After a slug came into use (drops a remembered "not found"). */
  invalidateReference(reference: string): void {
    this.invalidate({ kind: "reference", reference: reference.toLowerCase() });
  }

  private invalidate(invalidation: CacheInvalidation): void {
    this.forget(invalidation);
    this.options.bus?.publish(invalidation);
  }

  /** Applies an invalidation to this instance's cache only. */
  private forget(invalidation: CacheInvalidation): void {
    if (invalidation.kind === "tenantFacts" || invalidation.kind === "platformContent") return;
    this.generation += 1;
    switch (invalidation.kind) {
      case "tenant":
        for (const [key, entry] of this.cache.entries()) if (entry.tenant?.id === invalidation.tenantId) this.cache.delete(key);
        return;
      case "domain":
        this.cache.delete(`domain:${invalidation.domain}`);
        return;
      case "reference":
        this.cache.delete(`ref:${invalidation.reference}`);
        return;
    }
  }

  /** Entries in the cache (for the benchmark and tests). */
  get size(): number {
    return this.cache.size;
  }
}
