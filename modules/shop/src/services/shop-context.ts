import type { AuditRecord, NotificationOf, TenantDb } from "@tenantry/module-sdk";
import type { shopNotifications } from "../notifications.ts";
import type { ShopSettings } from "../settings.ts";

/** What the shop's services take from a procedure's context. */
export interface ShopContext {
  tenant: { id: string };
  tenantDb: TenantDb;
  settings: ShopSettings;
  notify(notification: NotificationOf<typeof shopNotifications>): Promise<number>;
}

/** A procedure's context, which also records in the tenant's audit trail (hooks have none). */
export interface AuditedShopContext extends ShopContext {
  audit(record: AuditRecord): Promise<void>;
}
