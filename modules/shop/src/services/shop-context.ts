import type { NotificationOf, TenantDb } from "@tenantry/module-sdk";
import type { shopNotifications } from "../notifications.ts";
import type { ShopSettings } from "../settings.ts";

/** What the shop's services take from a procedure's context. */
export interface ShopContext {
  tenant: { id: string };
  tenantDb: TenantDb;
  settings: ShopSettings;
  notify(notification: NotificationOf<typeof shopNotifications>): Promise<number>;
}
