import { defineModule, router } from "@tenantry/module-sdk";
import { shopDemoData } from "./demo.ts";
import { shopNotifications } from "./notifications.ts";
import { catalogRouter } from "./routers/catalog.router.ts";
import { ordersRouter } from "./routers/orders.router.ts";
import { storefrontProcedures } from "./routers/storefront.router.ts";
import { shopSettings } from "./settings.ts";
import { manifest } from "./shop.ts";

/** The shop module, mounted at `modules.shop` (REST: `/api/v1/modules/shop/…`). */
export default defineModule({
  manifest,
  settings: shopSettings,
  router: router({
    ...storefrontProcedures,
    catalog: catalogRouter,
    orders: ordersRouter,
  }),
  notifications: shopNotifications,
  demo: shopDemoData,
});

export type { ShopSettings } from "./settings.ts";
