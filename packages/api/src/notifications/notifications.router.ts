import { queryBoolean, router, tenantMemberProcedure, restRoutes } from "@tenantry/api-core";
import { pageInput, pageOf } from "@tenantry/api-core";
import { z } from "zod";
import { listNotifications, markNotificationsRead } from "./notifications.ts";

const rest = restRoutes("notifications");

const notificationSchema = z
  .object({
    id: z.uuid(),
    source: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
    read: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Notification" });

/** The signed-in member's notifications in the current tenant. */
export const notificationsRouter = router({
  list: tenantMemberProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenant/notifications",
        protect: true,
        summary: "My notifications in this tenant, newest first",
      }),
    )
    .input(z.object({ ...pageInput, unreadOnly: queryBoolean().default(false) }))
    .output(pageOf(notificationSchema).extend({ unread: z.number().int() }))
    .query(({ ctx, input }) => listNotifications(ctx, input)),

  markRead: tenantMemberProcedure
    .meta(rest({ method: "POST", path: "/tenant/notifications/read", protect: true, summary: "Mark notifications as read" }))
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(100) }))
    .output(z.object({ marked: z.number().int() }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx, input.ids)),

  markAllRead: tenantMemberProcedure
    .meta(
      rest({
        method: "POST",
        path: "/tenant/notifications/read-all",
        protect: true,
        summary: "Mark all my notifications as read",
      }),
    )
    .input(z.object({}).optional())
    .output(z.object({ marked: z.number().int() }))
    .mutation(({ ctx }) => markNotificationsRead(ctx, "all")),
});
