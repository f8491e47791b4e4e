import { z } from "zod";

/** What the shop tells a tenant's owners and admins, each kind with its `data`. */
export const shopNotifications = {
  "shop.order.placed": z.object({
    orderId: z.uuid().meta({ description: "The new order: `GET /modules/shop/orders/{orderId}`." }),
  }),
};
