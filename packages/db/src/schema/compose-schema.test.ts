import { describe, expect, it } from "vitest";
import { composeSchema, ModuleSchemaError, moduleNamePrefixes } from "./compose-schema.ts";

const core = `model Tenant {
  id String @id

  @@map("tenants")
}
`;

const model = (name: string, table: string, tenant = true) => `model ${name} {
  id       String @id @default(uuid()) @db.Uuid
${
  tenant
    ? `  tenantId String @map("tenant_id") @db.Uuid
  tenant   Tenant @relation(fields: [tenantId], references: [id], onDelete: Cascade)
`
    : ""
}
  @@map("${table}")
}
`;

const file = (moduleId: string, content: string) => ({ moduleId, file: `modules/${moduleId}/prisma/models.prisma`, content });

describe("composeSchema", () => {
  it("leaves the core schema alone when no module has models", () => {
    expect(composeSchema(core, [])).toBe(core);
  });

  it("appends module models and gives Tenant the other side of their relations", () => {
    const composed = composeSchema(core, [
      file("shop", model("ShopCategory", "shop_categories") + model("ShopProduct", "shop_products")),
      file("loyalty-points", model("LoyaltyPointsBalance", "loyalty_points_balances")),
    ]);
    expect(composed).toMatch(
      /model Tenant \{[^}]*shopCategories ShopCategory\[\][^}]*shopProducts ShopProduct\[\][^}]*loyaltyPointsBalances LoyaltyPointsBalance\[\]\n\}/,
    );
    expect(composed).toContain("model ShopProduct {");
    expect(composed).toContain("model LoyaltyPointsBalance {");
  });

  it.each([
    ["a model without the module prefix", model("Product", "shop_products"), /model Product: name must start with Shop/],
    ["a table without the module prefix", model("ShopProduct", "products"), /needs @@map\("shop_…"\)/],
    ["a model without a tenant", model("ShopProduct", "shop_products", false), /tenant-owned/],
    ["a generator", 'generator other {\n  provider = "x"\n}\n', /only models and enums/],
    [
      "an enum without the prefix",
      'enum Colour {\n  red\n\n  @@map("shop_colour")\n}\n',
      /enum Colour: name must start with Shop/,
    ],
  ])("refuses %s, naming the file", (_label, content, reason) => {
    const error = (() => {
      try {
        composeSchema(core, [file("shop", content)]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ModuleSchemaError);
    expect((error as Error).message).toMatch(/^modules\/shop\/prisma\/models\.prisma: /);
    expect((error as Error).message).toMatch(reason);
  });

  it("derives the prefixes from kebab-case ids", () => {
    expect(moduleNamePrefixes("loyalty-points")).toEqual({ model: "LoyaltyPoints", table: "loyalty_points_" });
  });
});
