import { z } from "zod";
import { notifyTenantAdmins, type NotificationInput } from "./notify-tenant-admins.ts";
import type { TenantDb } from "@tenantry/db";

/**
 * The kinds of notification a source sends, each with the schema of its `data`. Declared, so
 * the OpenAPI document can give every kind its exact `data`, and checked on every send, so what
 * is stored is what the document says. A kind's data may gain optional fields; anything else is
 * a new kind (notifications already stored keep the shape they were sent with).
 */
export type NotificationKinds = Record<string, z.ZodObject>;

/** A notification of one of `Kinds`, with that kind's data. */
export type NotificationOf<Kinds extends NotificationKinds> = {
  [Kind in keyof Kinds & string]: { kind: Kind; title: string; body?: string; data: z.input<Kinds[Kind]> };
}[keyof Kinds & string];

const by = z.uuid().meta({ description: "The user who did it." });

/** The platform's own notifications (about modules being switched on and off, or failing). */
export const coreNotificationKinds = {
  "module.enabled": z.object({ moduleId: z.string(), by }),
  "module.disabled": z.object({ moduleId: z.string(), by }),
  "module.hook_failed": z.object({
    moduleId: z.string(),
    hook: z.string().meta({ description: "The lifecycle hook that failed, e.g. `onEnable`." }),
  }),
} satisfies NotificationKinds;

/**
 * `notification` as it will be stored: its kind must be one of `kinds` and its data must match
 * that kind's schema. A mismatch is a bug in the sender, not the caller's fault: a plain Error.
 */
export function checkedNotification<Kinds extends NotificationKinds>(
  source: string,
  kinds: Kinds,
  notification: NotificationOf<Kinds>,
): NotificationInput {
  const schema = Object.hasOwn(kinds, notification.kind) ? kinds[notification.kind] : undefined;
  if (!schema) {
    throw new Error(`${source} sent a notification of kind "${notification.kind}", which it does not declare.`);
  }
  const data = schema.safeParse(notification.data ?? {});
  if (!data.success) {
    throw new Error(`${source}'s "${notification.kind}" notification has data its schema refuses: ${data.error.message}`);
  }
  return { ...notification, data: data.data };
}

/** Sends one of the platform's own notifications to the tenant's owners and admins. */
export function notifyCoreEvent(
  tenantDb: TenantDb,
  tenantId: string,
  source: string,
  notification: NotificationOf<typeof coreNotificationKinds>,
): Promise<number> {
  return notifyTenantAdmins(tenantDb, tenantId, source, checkedNotification("core", coreNotificationKinds, notification));
}
