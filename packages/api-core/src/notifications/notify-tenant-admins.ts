import type { TenantDb } from "@tenantry/db";

export interface NotificationInput {
  /** Machine-readable, e.g. `module.enabled` or `shop.order.placed`. */
  kind: string;
  title: string;
  body?: string;
  data?: Record<string, unknown>;
}

/**
 * Stores a notification for each owner and admin of the scoped tenant (one row per recipient,
 * so each marks their own as read). Returns how many were notified.
 */
export async function notifyTenantAdmins(
  tenantDb: TenantDb,
  tenantId: string,
  source: string,
  notification: NotificationInput,
): Promise<number> {
  const admins = await tenantDb.tenantMember.findMany({
    where: { tenantId, role: { in: ["owner", "admin"] } },
    select: { userId: true },
  });
  if (admins.length === 0) return 0;
  const { count } = await tenantDb.notification.createMany({
    data: admins.map(({ userId }) => ({
      tenantId,
      userId,
      source,
      kind: notification.kind,
      title: notification.title,
      body: notification.body ?? "",
      data: (notification.data ?? {}) as object,
    })),
  });
  return count;
}
