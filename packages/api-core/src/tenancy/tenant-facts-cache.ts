import { LRUCache } from "lru-cache";
import type { InvalidationBus } from "./tenant-resolver.ts";

export interface TenantFactsCacheOptions {
  /** How long a fact is trusted without asking the database (0: not cached at all). */
  ttlMs: number;
  maxEntries?: number;
  bus?: InvalidationBus | undefined;
  /** Told whether each read was answered from the cache (metrics). */
  onLookup?: ((hit: boolean) => void) | undefined;
}

/**
 * What rarely changes about a tenant and every request of a kind needs — a module's state (is it
 * installed, enabled, in the plan; its settings) — kept per instance, so the request does not
 * ask for it again. A service that changes such a fact calls `invalidate(tenantId)` once its
 * transaction has committed (`afterCommit`); the bus carries that to every other instance. Without
 * a bus, other instances see the change when their entry expires (`ttlMs`).
 */
export class TenantFactsCache {
  private readonly cache: LRUCache<string, { tenantId: string; value: unknown }>;
  /** Bumped by every invalidation, so a load that started before one is not cached after it. */
  private generation = 0;

  constructor(private readonly options: TenantFactsCacheOptions) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 20_000, ttlResolution: 0 });
    options.bus?.subscribe((invalidation) => {
      if (invalidation.kind === "tenantFacts") this.forget(invalidation.tenantId);
    });
  }

  /**
   * The fact `key` of `tenantId`, loaded by `load` when not cached. `load` must read committed
   * state only through the caller's own transaction when that transaction has written nothing
   * the fact depends on (true of every read path; writers invalidate instead of reading here).
   */
  async get<T>(tenantId: string, key: string, load: () => Promise<T>): Promise<T> {
    if (this.options.ttlMs <= 0) return load();
    const cacheKey = `${tenantId}\u0000${key}`;
    const hit = this.cache.get(cacheKey);
    this.options.onLookup?.(hit !== undefined);
    if (hit) return hit.value as T;
    // Concurrent cold reads of one key are not coalesced: each runs in its own request's
    // transaction, and a shared promise would tie one request's result to another's transaction.
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) this.cache.set(cacheKey, { tenantId, value }, { ttl: this.options.ttlMs });
    return value;
  }

  /** After a committed change to what is cached of `tenantId`: here and on every other instance. */
  invalidate(tenantId: string): void {
    this.forget(tenantId);
    this.options.bus?.publish({ kind: "tenantFacts", tenantId });
  }

  private forget(tenantId: string): void {
    this.generation += 1;
    for (const [key, entry] of this.cache.entries()) if (entry.tenantId === tenantId) this.cache.delete(key);
  }

  /** Entries in the cache (for tests). */
  get size(): number {
    return this.cache.size;
  }
}
