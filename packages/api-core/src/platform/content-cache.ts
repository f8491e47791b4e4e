import { LRUCache } from "lru-cache";
import type { InvalidationBus } from "../tenancy/tenant-resolver.ts";

export interface ContentCacheOptions {
  /** How long an answer is trusted without a change heard of (0: not cached at all). */
  ttlMs: number;
  maxEntries?: number;
  bus?: InvalidationBus | undefined;
}

/**
 * The public reads of platform content (an entry, a page of a list), kept per instance: every
 * visitor asks for the same few texts. Any change to what is published (publish, unpublish,
 * delete, a restore that publishes) empties it after the change commits, here and, through the
 * bus, on every other instance; without a bus others catch up when their entries expire. Drafts
 * are never read through it, so saving one does not empty it.
 */
export class ContentCache {
  private readonly cache: LRUCache<string, { value: unknown }>;
  /** Bumped by every invalidation, so a read that started before one is not cached after it. */
  private generation = 0;

  constructor(private readonly options: ContentCacheOptions) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 5_000, ttlResolution: 0 });
    options.bus?.subscribe((invalidation) => {
      if (invalidation.kind === "platformContent") this.forget();
    });
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.options.ttlMs <= 0) return load();
    const hit = this.cache.get(key);
    if (hit) return hit.value as T;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) this.cache.set(key, { value }, { ttl: this.options.ttlMs });
    return value;
  }

  /** After a committed change to published content: here and on every other instance. */
  invalidate(): void {
    this.forget();
    this.options.bus?.publish({ kind: "platformContent" });
  }

  private forget(): void {
    this.generation += 1;
    this.cache.clear();
  }

  /** Entries in the cache (for tests). */
  get size(): number {
    return this.cache.size;
  }
}
