import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allPages,
  asTenant,
  inShop,
  invalidFields,
  newCategory,
  newProduct,
  openShop,
  outcome,
  refusal,
  testBackends,
  type ShopHarness,
} from "./support/shop-kit.ts";

/** Categories: create, rename, reorder, delete (products stay, uncategorised), unique slugs. */

describe.each(testBackends())("catalog categories on $name", (backend) => {
  let h: ShopHarness;
  beforeAll(async () => {
    h = await openShop(backend);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("creates, changes and lists categories in display order", async () => {
    const suffix = randomUUID().slice(0, 6);
    const later = await h.owner.catalog.categories.create({ name: "Zebra", slug: `zebra-${suffix}`, position: 5 });
    const first = await h.owner.catalog.categories.create({ name: "  Shoes  ", slug: `shoes-${suffix}` });
    expect(first).toEqual({ id: first.id, name: "Shoes", slug: `shoes-${suffix}`, position: 0 });
    const alsoFive = await h.owner.catalog.categories.create({ name: "Apples", slug: `apples-${suffix}`, position: 5 });

    const ids = (await h.visitor().categories.list({ limit: 100 })).items.map((c) => c.id);
    // position first, then name.
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(alsoFive.id));
    expect(ids.indexOf(alsoFive.id)).toBeLessThan(ids.indexOf(later.id));

    const changed = await h.owner.catalog.categories.update({ categoryId: first.id, name: "Footwear", position: 9 });
    expect(changed).toEqual({ id: first.id, name: "Footwear", slug: `shoes-${suffix}`, position: 9 });
    // Keeping its own slug is no clash.
    expect(await outcome(h.owner.catalog.categories.update({ categoryId: first.id, slug: `shoes-${suffix}` }))).toBe("ok");
    const reordered = (await h.visitor().categories.list({ limit: 100 })).items.map((c) => c.id);
    expect(reordered.indexOf(later.id)).toBeLessThan(reordered.indexOf(first.id));
  });

  it("pages through categories in display order, ties and all, and refuses forged cursors", async () => {
    const { caller: shopper } = await h.customer();
    const before = (await shopper.categories.list({ limit: 100 })).items.length;
    const suffix = randomUUID().slice(0, 6);
    // Twelve at one position, names repeating in pairs: only the id tells some apart.
    for (let i = 0; i < 12; i++) {
      await h.owner.catalog.categories.create({ name: `Tie ${Math.floor(i / 2)}`, slug: `tie-${i}-${suffix}`, position: 7_000 });
    }
    const pages = await allPages((cursor) => shopper.categories.list({ limit: 5, ...(cursor ? { cursor } : {}) }));
    const all = pages.flat();
    expect(all).toHaveLength(before + 12);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    // Positions never go down; within the ties, by name then id (names the database's collation
    // orders like plain comparison: "Tie 0" … "Tie 5").
    expect(all.map((c) => c.position)).toEqual([...all.map((c) => c.position)].sort((a, b) => a - b));
    const ties = all.filter((c) => c.position === 7_000);
    const byNameThenId = [...ties].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    expect(ties.map((c) => c.id)).toEqual(byNameThenId.map((c) => c.id));
    for (const forged of ["nope", Buffer.from("[1,2]").toString("base64url"), Buffer.from('[1,"a","b"]').toString("base64url")]) {
      expect(await outcome(shopper.categories.list({ cursor: forged, limit: 5 }))).toBe("INVALID_CURSOR");
    }
  });

  it("refuses a slug the shop already has, on create and on update (CATEGORY_SLUG_TAKEN)", async () => {
    const taken = await newCategory(h);
    const other = await newCategory(h);
    const before = await inShop(h, (tx) => tx.shopCategory.count());
    expect(await refusal(h.owner.catalog.categories.create({ name: "Copy", slug: taken.slug }))).toMatchObject({
      code: "CATEGORY_SLUG_TAKEN",
    });
    expect(await refusal(h.owner.catalog.categories.create({ name: "Copy", slug: `  ${taken.slug} ` }))).toMatchObject({
      code: "CATEGORY_SLUG_TAKEN",
    });
    expect(await inShop(h, (tx) => tx.shopCategory.count())).toBe(before);

    expect(await refusal(h.owner.catalog.categories.update({ categoryId: other.id, slug: taken.slug }))).toMatchObject({
      code: "CATEGORY_SLUG_TAKEN",
    });
    const stored = await inShop(h, (tx) => tx.shopCategory.findUniqueOrThrow({ where: { id: other.id } }));
    expect(stored.slug).toBe(other.slug);
  });

  it("answers CATEGORY_SLUG_TAKEN to every loser of a race for one slug", async () => {
    const admins = [h.owner];
    for (let i = 0; i < 5; i++) admins.push(await h.member("admin"));
    for (let round = 0; round < 5; round++) {
      const slug = `race-${round}-${randomUUID().slice(0, 8)}`;
      const codes = await Promise.all(admins.map((admin) => outcome(admin.catalog.categories.create({ name: "Race", slug }))));
      expect(await inShop(h, (tx) => tx.shopCategory.count({ where: { slug } }))).toBe(1);
      expect(codes.sort()).toEqual([...Array<string>(admins.length - 1).fill("CATEGORY_SLUG_TAKEN"), "ok"]);
    }
  });

  it.each([
    ["a slug with capitals and spaces", { slug: "Summer Sale" }, "slug"],
    ["a slug with a trailing dash", { slug: "summer-" }, "slug"],
    ["a slug with a path", { slug: "../admin" }, "slug"],
    ["an empty slug", { slug: "" }, "slug"],
    ["an empty name", { name: " " }, "name"],
    ["a negative position", { position: -1 }, "position"],
    ["a fractional position", { position: 1.5 }, "position"],
  ])("refuses %s, naming the field", async (_label, bad, field) => {
    const before = await inShop(h, (tx) => tx.shopCategory.count());
    const input = { name: "Valid", slug: `valid-${randomUUID().slice(0, 8)}`, ...bad };
    expect(await invalidFields(h.owner.catalog.categories.create(input))).toContain(field);
    expect(await inShop(h, (tx) => tx.shopCategory.count())).toBe(before);
  });

  it("lets only owners and admins manage categories", async () => {
    const admin = await h.member("admin");
    const member = await h.member("member");
    const category = await newCategory(h);
    expect(await outcome(admin.catalog.categories.update({ categoryId: category.id, name: "By admin" }))).toBe("ok");
    expect(await outcome(member.catalog.categories.create({ name: "No", slug: `no-${randomUUID().slice(0, 8)}` }))).toBe(
      "PERMISSION_DENIED",
    );
    expect(await outcome(member.catalog.categories.update({ categoryId: category.id, name: "No" }))).toBe("PERMISSION_DENIED");
    expect(await outcome(member.catalog.categories.delete({ categoryId: category.id }))).toBe("PERMISSION_DENIED");
    expect((await inShop(h, (tx) => tx.shopCategory.findUniqueOrThrow({ where: { id: category.id } }))).name).toBe("By admin");
  });

  it("deletes a category and leaves its products uncategorised, counting them", async () => {
    const doomed = await newCategory(h);
    const kept = await newCategory(h);
    const a = await newProduct(h, { categoryId: doomed.id });
    const b = await newProduct(h, { categoryId: doomed.id, active: false });
    const c = await newProduct(h, { categoryId: kept.id });

    expect(await h.owner.catalog.categories.delete({ categoryId: doomed.id })).toEqual({
      deleted: true,
      productsUncategorised: 2,
    });

    const rows = await inShop(h, (tx) => tx.shopProduct.findMany({ where: { id: { in: [a.id, b.id, c.id] } } }));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.categoryId]))).toEqual({ [a.id]: null, [b.id]: null, [c.id]: kept.id });
    expect((await h.visitor().categories.list({ limit: 100 })).items.map((x) => x.id)).not.toContain(doomed.id);
    expect(await refusal(h.owner.catalog.categories.delete({ categoryId: doomed.id }))).toMatchObject({
      code: "CATEGORY_NOT_FOUND",
    });
    expect(await refusal(h.owner.catalog.categories.update({ categoryId: doomed.id, name: "Back" }))).toMatchObject({
      code: "CATEGORY_NOT_FOUND",
    });
    // A product cannot be put back into it either.
    expect(await refusal(h.owner.catalog.products.update({ productId: a.id, categoryId: doomed.id }))).toMatchObject({
      code: "CATEGORY_NOT_FOUND",
    });
    // An empty category deletes with a count of zero.
    expect(await h.owner.catalog.categories.delete({ categoryId: (await newCategory(h)).id })).toEqual({
      deleted: true,
      productsUncategorised: 0,
    });
  });

  it("moves a product between categories and out of any", async () => {
    const one = await newCategory(h);
    const two = await newCategory(h);
    const product = await newProduct(h, { categoryId: one.id });
    expect((await h.owner.catalog.products.update({ productId: product.id, categoryId: two.id })).categoryId).toBe(two.id);
    expect((await h.owner.catalog.products.update({ productId: product.id, categoryId: null })).categoryId).toBeNull();
  });

  describe("another tenant's categories and products", () => {
    let other: Awaited<ReturnType<ShopHarness["otherTenant"]>>;
    let theirCategory: { id: string; name: string; slug: string; position: number };
    let theirProduct: { id: string; name: string; categoryId: string | null; priceMinor: number };

    beforeAll(async () => {
      other = await h.otherTenant();
      theirCategory = await other.owner.catalog.categories.create({ name: "Theirs", slug: "theirs" });
      theirProduct = await other.owner.catalog.products.create({
        name: "Their product",
        priceMinor: 500,
        stock: 4,
        categoryId: theirCategory.id,
      });
    });

    const theirRows = () =>
      asTenant(h, other.id, async (tx) => ({
        categories: await tx.shopCategory.findMany(),
        products: await tx.shopProduct.findMany(),
      }));

    it("refuses them as CATEGORY_NOT_FOUND / PRODUCT_NOT_FOUND and changes nothing of theirs", async () => {
      const before = await theirRows();
      const mine = await newProduct(h);
      const name = `Cross-tenant ${randomUUID()}`;

      expect(await refusal(h.owner.catalog.products.create({ name, priceMinor: 1, categoryId: theirCategory.id }))).toMatchObject(
        {
          code: "CATEGORY_NOT_FOUND",
        },
      );
      expect(await refusal(h.owner.catalog.products.update({ productId: mine.id, categoryId: theirCategory.id }))).toMatchObject({
        code: "CATEGORY_NOT_FOUND",
      });
      expect(await refusal(h.owner.catalog.categories.update({ categoryId: theirCategory.id, name: "Hijacked" }))).toMatchObject({
        code: "CATEGORY_NOT_FOUND",
      });
      expect(await refusal(h.owner.catalog.categories.delete({ categoryId: theirCategory.id }))).toMatchObject({
        code: "CATEGORY_NOT_FOUND",
      });
      expect(await refusal(h.owner.catalog.products.update({ productId: theirProduct.id, priceMinor: 0 }))).toMatchObject({
        code: "PRODUCT_NOT_FOUND",
      });
      expect(await refusal(h.owner.catalog.products.delete({ productId: theirProduct.id }))).toMatchObject({
        code: "PRODUCT_NOT_FOUND",
      });

      expect(await inShop(h, (tx) => tx.shopProduct.count({ where: { name } }))).toBe(0);
      expect((await inShop(h, (tx) => tx.shopProduct.findUniqueOrThrow({ where: { id: mine.id } }))).categoryId).toBeNull();
      expect(await theirRows()).toEqual(before);
    });

    it("keeps slugs per tenant: the same slug is free in this shop", async () => {
      const same = await h.owner.catalog.categories.create({ name: "Mine", slug: theirCategory.slug });
      expect(same.slug).toBe("theirs");
      expect((await h.visitor().categories.list({ limit: 100 })).items.map((c) => c.id)).not.toContain(theirCategory.id);
      expect((await other.owner.categories.list({ limit: 100 })).items.map((c) => c.id)).toEqual([theirCategory.id]);
    });
  });
});
