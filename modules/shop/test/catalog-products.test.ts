import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inShop,
  invalidFields,
  newProduct,
  openShop,
  outcome,
  refusal,
  testBackends,
  type ShopHarness,
} from "./support/shop-kit.ts";

/** Products as the shop's managers see them: who may manage them, defaults, validation, update, delete. */

describe.each(testBackends())("catalog products on $name", (backend) => {
  let h: ShopHarness;
  beforeAll(async () => {
    h = await openShop(backend);
  });
  afterAll(async () => {
    await h?.close();
  });

  const countNamed = (name: string) => inShop(h, (tx) => tx.shopProduct.count({ where: { name } }));

  it("lets owners and admins manage products, and nobody else", async () => {
    const admin = await h.member("admin");
    const member = await h.member("member");
    const { caller: customer } = await h.customer();
    const visitor = h.visitor();

    const byAdmin = await newProduct(h, {}, admin);
    expect(await outcome(admin.catalog.products.update({ productId: byAdmin.id, priceMinor: 1 }))).toBe("ok");
    expect(await outcome(admin.catalog.products.list({}))).toBe("ok");

    const name = `Refused ${randomUUID()}`;
    expect(await outcome(member.catalog.products.create({ name, priceMinor: 1 }))).toBe("PERMISSION_DENIED");
    expect(await outcome(member.catalog.products.list({}))).toBe("PERMISSION_DENIED");
    expect(await outcome(member.catalog.products.update({ productId: byAdmin.id, priceMinor: 0 }))).toBe("PERMISSION_DENIED");
    expect(await outcome(member.catalog.products.delete({ productId: byAdmin.id }))).toBe("PERMISSION_DENIED");
    expect(await outcome(customer.catalog.products.create({ name, priceMinor: 1 }))).toBe("NOT_A_MEMBER");
    expect(await outcome(customer.catalog.products.delete({ productId: byAdmin.id }))).toBe("NOT_A_MEMBER");
    expect(await outcome(visitor.catalog.products.create({ name, priceMinor: 1 }))).toBe("UNAUTHENTICATED");
    expect(await outcome(visitor.catalog.products.delete({ productId: byAdmin.id }))).toBe("UNAUTHENTICATED");

    expect(await countNamed(name)).toBe(0);
    const row = await inShop(h, (tx) => tx.shopProduct.findUniqueOrThrow({ where: { id: byAdmin.id } }));
    expect(row.priceMinor).toBe(1);
  });

  it("fills in the defaults and returns what it stored", async () => {
    const name = `Plain ${randomUUID().slice(0, 8)}`;
    const created = await h.owner.catalog.products.create({ name: `  ${name}  `, priceMinor: 1250 });
    expect(created).toMatchObject({
      name,
      description: "",
      priceMinor: 1250,
      currency: "EUR",
      stock: 0,
      active: true,
      images: [],
      categoryId: null,
    });
    const row = await inShop(h, (tx) => tx.shopProduct.findUniqueOrThrow({ where: { id: created.id } }));
    expect(row).toMatchObject({ tenantId: h.tenant.id, name, priceMinor: 1250, currency: "EUR", stock: 0, active: true });
  });

  it("prices a product in the shop's currency setting unless a currency is given", async () => {
    try {
      await h.owner.settings.update({ currency: "USD" });
      const inSetting = await newProduct(h);
      expect(inSetting.currency).toBe("USD");
      const explicit = await newProduct(h, { currency: "GBP" });
      expect(explicit.currency).toBe("GBP");

      await h.owner.settings.update({ currency: "JPY" });
      expect((await newProduct(h)).currency).toBe("JPY");
      // Changing the setting reprices nothing that exists.
      const stored = await inShop(h, (tx) => tx.shopProduct.findUniqueOrThrow({ where: { id: inSetting.id } }));
      expect(stored.currency).toBe("USD");
    } finally {
      await h.owner.settings.update({ currency: "EUR" });
    }
  });

  it.each([
    ["a negative price", { priceMinor: -1 }, "priceMinor"],
    ["a fractional price", { priceMinor: 9.99 }, "priceMinor"],
    ["a price above the maximum", { priceMinor: 100_000_001 }, "priceMinor"],
    ["an empty name", { name: "" }, "name"],
    ["a name of spaces only", { name: "   " }, "name"],
    ["a name too long", { name: "x".repeat(201) }, "name"],
    ["a negative stock", { stock: -5 }, "stock"],
    ["a lower-case currency", { currency: "eur" }, "currency"],
    ["a javascript: image URL", { images: ["javascript:alert(1)"] }, "images.0"],
    ["an ftp image URL", { images: ["https://cdn.example.com/a.png", "ftp://cdn.example.com/b.png"] }, "images.1"],
    ["a relative image URL", { images: ["/images/a.png"] }, "images.0"],
    ["eleven images", { images: Array.from({ length: 11 }, (_, i) => `https://cdn.example.com/${i}.png`) }, "images"],
    ["a categoryId that is not a uuid", { categoryId: "shoes" }, "categoryId"],
    ["active as a string", { active: "false" }, "active"],
  ])("refuses %s, naming the field", async (_label, bad, field) => {
    const before = await inShop(h, (tx) => tx.shopProduct.count());
    const fields = await invalidFields(
      h.owner.catalog.products.create({ name: `Invalid ${randomUUID()}`, priceMinor: 100, ...bad } as never),
    );
    expect(fields).toContain(field);
    expect(await inShop(h, (tx) => tx.shopProduct.count())).toBe(before);
  });

  it("refuses text the database cannot store (a NUL character) with INVALID_TEXT, storing nothing", async () => {
    const name = `Nul ${randomUUID()}`;
    expect(await refusal(h.owner.catalog.products.create({ name, description: "a\u0000b", priceMinor: 1 }))).toMatchObject({
      code: "INVALID_TEXT",
    });
    expect(await countNamed(name)).toBe(0);
  });

  it("refuses a categoryId that names no category of this shop", async () => {
    const name = `Orphan ${randomUUID()}`;
    expect(await refusal(h.owner.catalog.products.create({ name, priceMinor: 1, categoryId: randomUUID() }))).toMatchObject({
      code: "CATEGORY_NOT_FOUND",
    });
    expect(await countNamed(name)).toBe(0);
  });

  it("changes only the fields sent, and refuses bad changes without changing anything", async () => {
    const product = await newProduct(h, { description: "Warm", stock: 3, images: ["https://cdn.example.com/a.png"] });
    const updated = await h.owner.catalog.products.update({
      productId: product.id,
      name: "Renamed",
      priceMinor: 2500,
      active: false,
    });
    expect(updated).toMatchObject({
      id: product.id,
      name: "Renamed",
      priceMinor: 2500,
      active: false,
      description: "Warm",
      stock: 3,
      currency: product.currency,
      images: ["https://cdn.example.com/a.png"],
    });

    expect(await invalidFields(h.owner.catalog.products.update({ productId: product.id, priceMinor: -1 }))).toContain(
      "priceMinor",
    );
    expect(await invalidFields(h.owner.catalog.products.update({ productId: product.id, name: " " }))).toContain("name");
    expect(
      await invalidFields(h.owner.catalog.products.update({ productId: product.id, images: ["file:///etc/passwd"] })),
    ).toContain("images.0");
    expect(await invalidFields(h.owner.catalog.products.update({ productId: "nope", name: "X" }))).toContain("productId");
    expect(await refusal(h.owner.catalog.products.update({ productId: product.id, categoryId: randomUUID() }))).toMatchObject({
      code: "CATEGORY_NOT_FOUND",
    });
    expect(await refusal(h.owner.catalog.products.update({ productId: randomUUID(), name: "Ghost" }))).toMatchObject({
      code: "PRODUCT_NOT_FOUND",
    });

    const row = await inShop(h, (tx) => tx.shopProduct.findUniqueOrThrow({ where: { id: product.id } }));
    expect(row).toMatchObject({
      name: "Renamed",
      priceMinor: 2500,
      active: false,
      categoryId: null,
      images: ["https://cdn.example.com/a.png"],
    });
  });

  it("lists every product to its managers, inactive ones too, with the stock count", async () => {
    const hidden = await newProduct(h, { active: false, stock: 7 });
    const listed = await h.owner.catalog.products.list({ limit: 100 });
    expect(listed.items.find((p) => p.id === hidden.id)).toMatchObject({ active: false, stock: 7 });
  });

  it("deletes a product that was never ordered", async () => {
    const product = await newProduct(h);
    expect(await h.owner.catalog.products.delete({ productId: product.id })).toEqual({ deleted: true });
    expect(await inShop(h, (tx) => tx.shopProduct.findUnique({ where: { id: product.id } }))).toBeNull();
    expect(await refusal(h.owner.catalog.products.delete({ productId: product.id }))).toMatchObject({
      code: "PRODUCT_NOT_FOUND",
    });
    expect(await refusal(h.visitor().products.get({ productId: product.id }))).toMatchObject({ code: "PRODUCT_NOT_FOUND" });
  });

  it("refuses to delete a product that was ordered (PRODUCT_HAS_ORDERS), even once the order is cancelled", async () => {
    const product = await newProduct(h, { stock: 2 });
    const { caller: customer } = await h.customer();
    const order = await customer.orders.place({ items: [{ productId: product.id, quantity: 1 }] });

    expect(await refusal(h.owner.catalog.products.delete({ productId: product.id }))).toMatchObject({
      code: "PRODUCT_HAS_ORDERS",
    });
    await h.owner.orders.updateStatus({ orderId: order.id, status: "cancelled" });
    expect(await refusal(h.owner.catalog.products.delete({ productId: product.id }))).toMatchObject({
      code: "PRODUCT_HAS_ORDERS",
    });

    // Still there, and the order still names it; deactivating is the way to take it off sale.
    expect(await inShop(h, (tx) => tx.shopProduct.count({ where: { id: product.id } }))).toBe(1);
    expect((await h.owner.orders.get({ orderId: order.id })).items[0]?.productId).toBe(product.id);
    await h.owner.catalog.products.update({ productId: product.id, active: false });
    expect(await refusal(h.visitor().products.get({ productId: product.id }))).toMatchObject({ code: "PRODUCT_NOT_FOUND" });
  });
});
