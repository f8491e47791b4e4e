import { describe, expect, it } from "vitest";
import { TenantFactsCache } from "./tenant-facts-cache.ts";
import type { CacheInvalidation, InvalidationBus } from "./tenant-resolver.ts";

function counter(value = "v") {
  let loads = 0;
  return { load: async () => `${value}${++loads}`, loads: () => loads };
}

describe("TenantFactsCache", () => {
  it("asks once, then answers from memory until the tenant is invalidated", async () => {
    const cache = new TenantFactsCache({ ttlMs: 60_000 });
    const a = counter("a");
    const b = counter("b");
    expect(await cache.get("t1", "module:shop", a.load)).toBe("a1");
    expect(await cache.get("t1", "module:shop", a.load)).toBe("a1");
    expect(await cache.get("t2", "module:shop", b.load)).toBe("b1");
    cache.invalidate("t1");
    expect(await cache.get("t1", "module:shop", a.load)).toBe("a2");
    // Another tenant's facts are untouched by t1's change.
    expect(await cache.get("t2", "module:shop", b.load)).toBe("b1");
    expect([a.loads(), b.loads()]).toEqual([2, 1]);
  });

  it("does not keep what a load read before an invalidation that came while it ran", async () => {
    const cache = new TenantFactsCache({ ttlMs: 60_000 });
    let release!: () => void;
    const slow = cache.get("t1", "k", async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return "before the change";
    });
    cache.invalidate("t1");
    release();
    expect(await slow).toBe("before the change");
    expect(await cache.get("t1", "k", async () => "after the change")).toBe("after the change");
  });

  it("carries invalidations to other instances through the bus, and caches nothing with a TTL of 0", async () => {
    const handlers: Array<(i: CacheInvalidation) => void> = [];
    const published: CacheInvalidation[] = [];
    const bus: InvalidationBus = { publish: (i) => published.push(i), subscribe: (h) => handlers.push(h) };
    const here = new TenantFactsCache({ ttlMs: 60_000, bus });
    const there = new TenantFactsCache({ ttlMs: 60_000, bus });
    await there.get("t1", "k", async () => "old");
    here.invalidate("t1");
    expect(published).toEqual([{ kind: "tenantFacts", tenantId: "t1" }]);
    for (const handle of handlers) handle(published[0]!);
    expect(await there.get("t1", "k", async () => "new")).toBe("new");

    const uncached = new TenantFactsCache({ ttlMs: 0 });
    const c = counter();
    await uncached.get("t1", "k", c.load);
    await uncached.get("t1", "k", c.load);
    expect(c.loads()).toBe(2);
  });
});
