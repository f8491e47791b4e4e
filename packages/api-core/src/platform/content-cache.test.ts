import { describe, expect, it } from "vitest";
import type { CacheInvalidation, InvalidationBus } from "../tenancy/tenant-resolver.ts";
import { ContentCache } from "./content-cache.ts";

describe("ContentCache", () => {
  it("answers from memory until invalidated, and keeps nothing a load read before an invalidation", async () => {
    const cache = new ContentCache({ ttlMs: 60_000 });
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.get("get:legal.terms", load)).toBe("v1");
    expect(await cache.get("get:legal.terms", load)).toBe("v1");
    cache.invalidate();
    expect(await cache.get("get:legal.terms", load)).toBe("v2");

    let release!: () => void;
    const slow = cache.get("list:en", async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return "before the publish";
    });
    cache.invalidate();
    release();
    expect(await slow).toBe("before the publish");
    expect(await cache.get("list:en", async () => "after the publish")).toBe("after the publish");
  });

  it("tells other instances through the bus and ignores other caches' invalidations", async () => {
    const handlers: Array<(i: CacheInvalidation) => void> = [];
    const published: CacheInvalidation[] = [];
    const bus: InvalidationBus = { publish: (i) => published.push(i), subscribe: (h) => handlers.push(h) };
    const here = new ContentCache({ ttlMs: 60_000, bus });
    const there = new ContentCache({ ttlMs: 60_000, bus });
    await there.get("k", async () => "old");
    for (const handle of handlers) handle({ kind: "tenant", tenantId: "t1" });
    expect(there.size).toBe(1);
    here.invalidate();
    expect(published).toEqual([{ kind: "platformContent" }]);
    for (const handle of handlers) handle(published[0]!);
    expect(await there.get("k", async () => "new")).toBe("new");

    const uncached = new ContentCache({ ttlMs: 0 });
    await uncached.get("k", async () => "x");
    expect(uncached.size).toBe(0);
  });
});
