import { BadInputError, ConflictError, cursorPage, NotFoundError, pageQuery, type TenantDb } from "@tenantry/module-sdk";
import type { AuditedShopContext, ShopContext } from "./shop-context.ts";

export type OrderStatus = "paid" | "shipped" | "delivered" | "cancelled";

export class OrderNotFoundError extends NotFoundError {
  constructor() {
    super("ORDER_NOT_FOUND", "orderId: no such order in this shop.");
  }
}

/** `1250, "EUR"` → `€12.50`: as many decimals as the currency has. */
function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat("en", { style: "currency", currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** The largest total an order may have (the column is a 32-bit integer of minor units). */
const maxTotalMinor = 2_147_483_647;

const includeItems = { items: { orderBy: { name: "asc" as const } } };
type OrderRow = Awaited<ReturnType<TenantDb["shopOrder"]["findFirstOrThrow"]>> & {
  items: Array<{ productId: string; name: string; unitPriceMinor: number; quantity: number }>;
};

const toOrder = (row: OrderRow) => ({
  id: row.id,
  customerId: row.customerId,
  status: row.status,
  totalMinor: row.totalMinor,
  currency: row.currency,
  note: row.note,
  items: row.items.map(({ productId, name, unitPriceMinor, quantity }) => ({ productId, name, unitPriceMinor, quantity })),
  createdAt: row.createdAt.toISOString(),
  shippedAt: row.shippedAt?.toISOString() ?? null,
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
  cancelledAt: row.cancelledAt?.toISOString() ?? null,
});

/**
 * Places an order. Every check that does not depend on stock (products exist and are for
 * sale, one currency, a total that fits) comes first, so a refusal never tells how much is in
 * stock. Then each line takes its stock with one conditional UPDATE (`stock >= quantity`): of
 * two buyers of the last item exactly one gets it, the second waits on the row and then finds
 * the condition false. Lines are taken in product-id order so two orders never wait on each
 * other in a cycle. Any refusal throws, and the request's transaction gives back what was taken.
 */
export async function placeOrder(
  ctx: ShopContext & { user: { id: string } },
  input: { items: Array<{ productId: string; quantity: number }>; note: string },
) {
  const lines = input.items
    .map((item, index) => ({ ...item, productId: item.productId.toLowerCase(), index }))
    .sort((a, b) => a.productId.localeCompare(b.productId));
  const products = await ctx.tenantDb.shopProduct.findMany({
    where: { id: { in: lines.map((l) => l.productId) }, active: true },
  });
  const byId = new Map(products.map((p) => [p.id, p]));
  const taken = lines.map((line) => {
    const product = byId.get(line.productId);
    if (!product) {
      throw new NotFoundError("PRODUCT_NOT_FOUND", `items.${line.index}.productId: no such product for sale in this shop.`);
    }
    return {
      line,
      productId: product.id,
      name: product.name,
      unitPriceMinor: product.priceMinor,
      currency: product.currency,
      quantity: line.quantity,
    };
  });

  const currencies = [...new Set(taken.map((t) => t.currency))];
  if (currencies.length > 1) {
    throw new BadInputError(
      "MIXED_CURRENCIES",
      `items: one order is paid in one currency; these are priced in ${currencies.join(" and ")}.`,
    );
  }
  const totalMinor = taken.reduce((sum, t) => sum + t.unitPriceMinor * t.quantity, 0);
  if (totalMinor > maxTotalMinor) {
    throw new BadInputError("ORDER_TOO_LARGE", "items: the order's total is too large; split it into several orders.");
  }

  for (const { line, name } of taken) {
    const { count } = await ctx.tenantDb.shopProduct.updateMany({
      where: { id: line.productId, active: true, stock: { gte: line.quantity } },
      data: { stock: { decrement: line.quantity } },
    });
    if (count === 0) {
      // Deleted or taken off sale since it was read above?
      if (!(await ctx.tenantDb.shopProduct.count({ where: { id: line.productId, active: true } }))) {
        throw new NotFoundError("PRODUCT_NOT_FOUND", `items.${line.index}.productId: no such product for sale in this shop.`);
      }
      // Not how many are left: the storefront shows availability, not stock counts.
      throw new ConflictError("OUT_OF_STOCK", `items.${line.index}.quantity: "${name}" does not have ${line.quantity} in stock.`);
    }
  }

  const order = await ctx.tenantDb.shopOrder.create({
    data: {
      tenantId: ctx.tenant.id,
      customerId: ctx.user.id,
      totalMinor,
      currency: currencies[0]!,
      note: input.note,
      items: {
        create: taken.map(({ productId, name, unitPriceMinor, quantity }) => ({
          tenantId: ctx.tenant.id,
          productId,
          name,
          unitPriceMinor,
          quantity,
        })),
      },
    },
    include: includeItems,
  });
  await ctx.notify({
    kind: "shop.order.placed",
    title: `New order: ${formatMoney(totalMinor, order.currency)}`,
    body: taken.map((t) => `${t.quantity} × ${t.name}`).join(", "),
    data: { orderId: order.id },
  });
  return toOrder(order);
}

type Page = { cursor?: string | undefined; limit: number };

/** The signed-in customer's own orders in this shop, newest first. */
export async function listCustomerOrders(ctx: Pick<ShopContext, "tenantDb"> & { user: { id: string } }, input: Page) {
  const page = pageQuery(input);
  const rows = await ctx.tenantDb.shopOrder.findMany({
    ...page,
    where: { AND: [{ customerId: ctx.user.id }, page.where] },
    include: includeItems,
  });
  return cursorPage(rows, input.limit, toOrder);
}

/** Every order of the shop, newest first, optionally of one status. */
export async function listOrders(ctx: Pick<ShopContext, "tenantDb">, input: Page & { status?: OrderStatus | undefined }) {
  const page = pageQuery(input);
  const rows = await ctx.tenantDb.shopOrder.findMany({
    ...page,
    where: { AND: [input.status ? { status: input.status } : {}, page.where] },
    include: includeItems,
  });
  return cursorPage(rows, input.limit, toOrder);
}

export async function getOrder(ctx: Pick<ShopContext, "tenantDb">, orderId: string) {
  const row = await ctx.tenantDb.shopOrder.findUnique({ where: { id: orderId }, include: includeItems });
  if (!row) throw new OrderNotFoundError();
  return toOrder(row);
}

/** The moves an order may make: paid → shipped → delivered, or paid → cancelled. */
const allowedFrom: Record<Exclude<OrderStatus, "paid">, OrderStatus> = {
  shipped: "paid",
  delivered: "shipped",
  cancelled: "paid",
};

/**
 * Moves an order on. The move is one conditional UPDATE (`status = <the one it must come
 * from>`), so two admins cancelling at once return the stock once. Cancelling gives every
 * line's quantity back to its product.
 */
export async function updateOrderStatus(
  ctx: AuditedShopContext,
  input: { orderId: string; status: Exclude<OrderStatus, "paid"> },
) {
  const from = allowedFrom[input.status];
  const now = new Date();
  const stamp = { shipped: { shippedAt: now }, delivered: { deliveredAt: now }, cancelled: { cancelledAt: now } }[input.status];
  const { count } = await ctx.tenantDb.shopOrder.updateMany({
    where: { id: input.orderId, status: from },
    data: { status: input.status, ...stamp },
  });
  if (count === 0) {
    const current = await ctx.tenantDb.shopOrder.findUnique({ where: { id: input.orderId }, select: { status: true } });
    if (!current) throw new OrderNotFoundError();
    throw new ConflictError(
      "INVALID_STATUS_TRANSITION",
      `status: a ${current.status} order cannot become ${input.status} (paid → shipped → delivered, or paid → cancelled).`,
    );
  }
  await ctx.audit({
    action: "shop.order.status_changed",
    targetType: "shop_order",
    targetId: input.orderId,
    details: { from, to: input.status },
  });
  if (input.status === "cancelled") {
    const items = await ctx.tenantDb.shopOrderItem.findMany({ where: { orderId: input.orderId }, orderBy: { productId: "asc" } });
    for (const item of items) {
      await ctx.tenantDb.shopProduct.update({ where: { id: item.productId }, data: { stock: { increment: item.quantity } } });
    }
  }
  return getOrder(ctx, input.orderId);
}
