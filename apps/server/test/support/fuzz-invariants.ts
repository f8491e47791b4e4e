import type { Database } from "@tenantry/db";

/**
 * Rules the data must keep however requests interleave, checked across every tenant after the
 * fuzz run: a check-then-write that two concurrent requests both pass shows up here (two
 * primary domains, a tenant without an owner), though each request on its own answered well.
 */
const invariants: Array<[rule: string, violations: string]> = [
  [
    "a tenant has at most one primary domain",
    `select tenant_id::text as row from tenant_domains where is_primary group by tenant_id having count(*) > 1`,
  ],
  ["a primary domain is verified", `select id::text as row from tenant_domains where is_primary and verified_at is null`],
  [
    "a tenant has an owner",
    `select t.id::text as row from tenants t
      where not exists (select 1 from tenant_members m where m.tenant_id = t.id and m.role = 'owner')`,
  ],
  [
    "a tenant has a subscription",
    `select t.id::text as row from tenants t where not exists (select 1 from subscriptions s where s.tenant_id = t.id)`,
  ],
  [
    "an order's total is the sum of its lines",
    `select o.id::text as row from shop_orders o
      where o.total_minor <> (select coalesce(sum(i.unit_price_minor * i.quantity), 0) from shop_order_items i where i.order_id = o.id)`,
  ],
  [
    "an order's lines are of its own tenant",
    `select i.id::text as row from shop_order_items i join shop_orders o on o.id = i.order_id
      join shop_products p on p.id = i.product_id where i.tenant_id <> o.tenant_id or p.tenant_id <> o.tenant_id`,
  ],
  [
    "a product's category is of its own tenant",
    `select p.id::text as row from shop_products p join shop_categories c on c.id = p.category_id where c.tenant_id <> p.tenant_id`,
  ],
];

/** Every broken rule with the rows that break it (empty: all hold). */
export async function brokenInvariants(db: Database): Promise<string[]> {
  return db.withOwner(async (owner) => {
    const broken: string[] = [];
    for (const [rule, sql] of invariants) {
      const rows = await owner.$queryRawUnsafe<Array<{ row: string }>>(sql);
      if (rows.length > 0) broken.push(`${rule}: broken by ${rows.map((r) => r.row).join(", ")}`);
    }
    return broken;
  });
}
