import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allPages,
  invalidFields,
  newCategory,
  newProduct,
  openShop,
  outcome,
  pause,
  refusal,
  testBackends,
  type ShopHarness,
} from "./support/shop-kit.ts";

/** What anyone sees without signing in: the storefront's face, products for sale, pagination. */

describe.each(testBackends())("storefront on $name", (backend) => {
  let h: ShopHarness;
  beforeAll(async () => {
    h = await openShop(backend);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("shows title, currency and theme from the settings, to visitors and customers alike", async () => {
    expect(await h.visitor().storefront.get()).toEqual({
      title: "Shop",
      currency: "EUR",
      theme: { primaryColor: "#1f6feb", accentColor: "#f78166", backgroundColor: "#ffffff", textColor: "#1f2328" },
    });
    try {
      await h.owner.settings.update({ storefrontTitle: "Corner Store", currency: "CHF", theme: { primaryColor: "#000000" } });
      const expected = {
        title: "Corner Store",
        currency: "CHF",
        theme: { primaryColor: "#000000", accentColor: "#f78166", backgroundColor: "#ffffff", textColor: "#1f2328" },
      };
      expect(await h.visitor().storefront.get()).toEqual(expected);
      expect(await (await h.customer()).caller.storefront.get()).toEqual(expected);
      // Another tenant's storefront keeps its own settings.
      expect((await (await h.otherTenant()).owner.storefront.get()).title).toBe("Shop");
    } finally {
      await h.owner.settings.update({ storefrontTitle: "Shop", currency: "EUR", theme: { primaryColor: "#1f6feb" } });
    }
  });

  it("refuses bad settings, naming the field, and only owners and admins may change them", async () => {
    expect(await invalidFields(h.owner.settings.update({ currency: "euro" }))).toEqual(["currency"]);
    expect(await invalidFields(h.owner.settings.update({ storefrontTitle: "  " }))).toEqual(["storefrontTitle"]);
    expect(await invalidFields(h.owner.settings.update({ theme: { textColor: "red" } }))).toEqual(["theme.textColor"]);
    expect(await invalidFields(h.owner.settings.update({ theme: { accentColor: "#12345" } }))).toEqual(["theme.accentColor"]);
    expect(await outcome((await h.member("member")).settings.update({ storefrontTitle: "Mine now" }))).toBe("TENANT_ADMIN_ONLY");
    expect(await outcome(h.visitor().settings.update({ storefrontTitle: "Mine now" }))).toBe("UNAUTHENTICATED");
    expect((await h.visitor().storefront.get()).title).toBe("Shop");
  });

  it("lists active products only, newest first, with availability instead of the stock count", async () => {
    const category = await newCategory(h);
    const made = [];
    for (const fields of [{ stock: 3 }, { stock: 0 }, { stock: 5, active: false }, { stock: 1 }]) {
      made.push(await newProduct(h, { ...fields, categoryId: category.id }));
      await pause(5); // distinct creation times, so "newest first" has one answer
    }
    const [first, soldOut, inactive, newest] = made;

    const { items, nextCursor } = await h.visitor().products.list({ categoryId: category.id });
    expect(nextCursor).toBeNull();
    expect(items.map((p) => p.id)).toEqual([newest!.id, soldOut!.id, first!.id]);
    expect(items.map((p) => p.inStock)).toEqual([true, false, true]);
    expect(items.map((p) => p.id)).not.toContain(inactive!.id);
    for (const item of items) expect(item).not.toHaveProperty("stock");
    expect(items[2]).toEqual({
      id: first!.id,
      name: first!.name,
      description: "",
      priceMinor: 1000,
      currency: "EUR",
      images: [],
      categoryId: category.id,
      inStock: true,
    });

    // Unfiltered, the inactive one is missing too.
    const everything = (await allPages((cursor) => h.visitor().products.list({ cursor, limit: 100 }))).flat();
    expect(everything.map((p) => p.id)).toEqual(expect.arrayContaining([first!.id, soldOut!.id, newest!.id]));
    expect(everything.map((p) => p.id)).not.toContain(inactive!.id);

    // Taken off sale later: gone from the list; back on sale: back.
    await h.owner.catalog.products.update({ productId: first!.id, active: false });
    expect((await h.visitor().products.list({ categoryId: category.id })).items.map((p) => p.id)).toEqual([
      newest!.id,
      soldOut!.id,
    ]);
    await h.owner.catalog.products.update({ productId: inactive!.id, active: true });
    expect((await h.visitor().products.list({ categoryId: category.id })).items.map((p) => p.id)).toEqual([
      newest!.id,
      inactive!.id,
      soldOut!.id,
    ]);
  });

  it("filters by category", async () => {
    const shoes = await newCategory(h);
    const hats = await newCategory(h);
    const shoe = await newProduct(h, { categoryId: shoes.id });
    const hat = await newProduct(h, { categoryId: hats.id });
    const loose = await newProduct(h);
    expect((await h.visitor().products.list({ categoryId: shoes.id })).items.map((p) => p.id)).toEqual([shoe.id]);
    expect((await h.visitor().products.list({ categoryId: hats.id })).items.map((p) => p.id)).toEqual([hat.id]);
    expect((await h.visitor().products.list({ categoryId: randomUUID() })).items).toEqual([]);
    const all = (await allPages((cursor) => h.visitor().products.list({ cursor, limit: 100 }))).flat().map((p) => p.id);
    expect(all).toEqual(expect.arrayContaining([shoe.id, hat.id, loose.id]));
    expect(await invalidFields(h.visitor().products.list({ categoryId: "shoes" }))).toContain("categoryId");
  });

  it("pages 25 products by 10 as 10 + 10 + 5: no duplicates, no gaps, nextCursor null at the end", async () => {
    const category = await newCategory(h);
    // Made at once, so some may share a creation time: then the id must break the tie.
    const made = await Promise.all(Array.from({ length: 25 }, () => newProduct(h, { categoryId: category.id })));

    const pages = await allPages((cursor) => h.visitor().products.list({ categoryId: category.id, limit: 10, cursor }));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const seen = pages.flat().map((p) => p.id);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort()).toEqual(made.map((p) => p.id).sort());

    // The same order as one big page.
    const whole = await h.visitor().products.list({ categoryId: category.id, limit: 100 });
    expect(whole.items.map((p) => p.id)).toEqual(seen);
    expect(whole.nextCursor).toBeNull();

    // Exactly a page's worth: no empty page after it.
    const exact = await h.visitor().products.list({ categoryId: category.id, limit: 25 });
    expect(exact.items).toHaveLength(25);
    expect(exact.nextCursor).toBeNull();
  });

  it.each([
    ["garbage", "not-a-cursor"],
    ["a date without an id", Buffer.from("2026-01-01T00:00:00.000Z", "utf8").toString("base64url")],
    ["a bad id", Buffer.from("2026-01-01T00:00:00.000Z|1 OR 1=1", "utf8").toString("base64url")],
    ["a bad date", Buffer.from(`yesterday|${randomUUID()}`, "utf8").toString("base64url")],
    ["extra parts", Buffer.from(`2026-01-01T00:00:00.000Z|${randomUUID()}|x`, "utf8").toString("base64url")],
  ])("refuses a forged cursor (%s) with INVALID_CURSOR", async (_label, cursor) => {
    expect(await refusal(h.visitor().products.list({ cursor }))).toMatchObject({ code: "INVALID_CURSOR" });
  });

  it("refuses page sizes out of range", async () => {
    expect(await invalidFields(h.visitor().products.list({ limit: 0 }))).toContain("limit");
    expect(await invalidFields(h.visitor().products.list({ limit: 101 }))).toContain("limit");
  });

  it("shows one active product; an inactive, unknown or other tenant's product is PRODUCT_NOT_FOUND", async () => {
    const active = await newProduct(h, { stock: 0, images: ["https://cdn.example.com/p.png"] });
    expect(await h.visitor().products.get({ productId: active.id })).toMatchObject({
      id: active.id,
      inStock: false,
      images: ["https://cdn.example.com/p.png"],
    });

    const inactive = await newProduct(h, { active: false, stock: 9 });
    expect(await refusal(h.visitor().products.get({ productId: inactive.id }))).toMatchObject({ code: "PRODUCT_NOT_FOUND" });
    expect(await refusal(h.owner.products.get({ productId: inactive.id }))).toMatchObject({ code: "PRODUCT_NOT_FOUND" });
    expect(await refusal(h.visitor().products.get({ productId: randomUUID() }))).toMatchObject({ code: "PRODUCT_NOT_FOUND" });
    expect(await invalidFields(h.visitor().products.get({ productId: "1; drop table shop_products" }))).toContain("productId");

    const other = await h.otherTenant();
    const theirs = await other.owner.catalog.products.create({ name: "Theirs", priceMinor: 100, stock: 5 });
    expect(await refusal(h.visitor().products.get({ productId: theirs.id }))).toMatchObject({ code: "PRODUCT_NOT_FOUND" });
    const ours = (await allPages((cursor) => h.visitor().products.list({ cursor, limit: 100 }))).flat().map((p) => p.id);
    expect(ours).not.toContain(theirs.id);
    // …while their own storefront shows it, and none of ours.
    const theirList = (await other.owner.products.list({ limit: 100 })).items.map((p) => p.id);
    expect(theirList).toEqual([theirs.id]);
  });
});
