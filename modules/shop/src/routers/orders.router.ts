import { pageInput, pageOf, router } from "@tenantry/module-sdk";
import { z } from "zod";
import { listOrdersInput, orderIdInput, orderSchema, placeOrderInput, updateOrderStatusInput } from "../schemas.ts";
import { getOrder, listCustomerOrders, listOrders, placeOrder, updateOrderStatus } from "../services/orders.ts";
import { shop } from "../shop.ts";

/** Orders: customers place and follow theirs; the shop's staff see and move them on. */
export const ordersRouter = router({
  place: shop.customerProcedure
    .meta(
      shop.rest({
        method: "POST",
        path: "/orders",
        created: true,
        errors: { 400: ["MIXED_CURRENCIES", "ORDER_TOO_LARGE"], 404: ["PRODUCT_NOT_FOUND"], 409: ["OUT_OF_STOCK"] },
        summary: "Place an order (any signed-in customer)",
        description:
          "Stock is checked and taken in one transaction: of two buyers of the last item, exactly one succeeds; the other gets OUT_OF_STOCK.",
      }),
    )
    .input(placeOrderInput)
    .output(orderSchema)
    .mutation(({ ctx, input }) => placeOrder(ctx, input)),

  mine: shop.customerProcedure
    .meta(
      shop.rest({
        method: "GET",
        path: "/customer/orders",
        description: "The caller's own orders in this shop, newest first. Any signed-in customer.",
        summary: "My orders in this shop, newest first",
      }),
    )
    .input(z.object(pageInput))
    .output(pageOf(orderSchema))
    .query(({ ctx, input }) => listCustomerOrders(ctx, input)),

  list: shop
    .permittedProcedure("orders.read")
    .meta(
      shop.rest({
        method: "GET",
        path: "/orders",
        description: "Every order of the shop, newest first, cursor-paginated. Needs `orders.read`.",
        summary: "The shop's orders, newest first",
      }),
    )
    .input(listOrdersInput)
    .output(pageOf(orderSchema))
    .query(({ ctx, input }) => listOrders(ctx, input)),

  get: shop
    .permittedProcedure("orders.read")
    .meta(
      shop.rest({
        method: "GET",
        path: "/orders/{orderId}",
        description: "One order of the shop with its lines. Needs `orders.read`.",
        errors: { 404: ["ORDER_NOT_FOUND"] },
        summary: "One order",
      }),
    )
    .input(orderIdInput)
    .output(orderSchema)
    .query(({ ctx, input }) => getOrder(ctx, input.orderId)),

  updateStatus: shop
    .permittedProcedure("orders.manage")
    .meta(
      shop.rest({
        method: "PATCH",
        path: "/orders/{orderId}",
        errors: { 404: ["ORDER_NOT_FOUND"], 409: ["INVALID_STATUS_TRANSITION"] },
        summary: "Ship, deliver or cancel an order",
        description: "paid → shipped → delivered, or paid → cancelled (which returns the stock).",
      }),
    )
    .input(updateOrderStatusInput)
    .output(orderSchema)
    .mutation(({ ctx, input }) => updateOrderStatus(ctx, input)),
});
