import { queryBoolean, router, tenantMemberProcedure, restRoutes } from "@tenantry/api-core";
import { pageInput, pageOf } from "@tenantry/api-core";
import { z } from "zod";
import { countUnreadNotifications, listNotifications, markNotificationsRead, unreadCountCap } from "./notifications.ts";

const rest = restRoutes("notifications");

const notificationSchema = z
  .object({
    id: z.uuid(),
    source: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    // Checked against its kind's schema when sent; the OpenAPI document has one variant per kind.
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
        description:
          "The caller's notifications in this tenant (module events such as new orders), newest first, cursor-paginated.",
        protect: true,
        summary: "My notifications in this tenant, newest first",
      }),
    )
    .input(z.object({ ...pageInput, unreadOnly: queryBoolean().default(false) }))
    .output(pageOf(notificationSchema))
    .query(({ ctx, input }) => listNotifications(ctx, input)),

  unreadCount: tenantMemberProcedure
    .meta(
      rest({
        method: "GET",
        path: "/tenant/notifications/unread-count",
        description: "A badge count: the caller's unread notifications here, counted up to 1000 (`capped` is true beyond).",
        protect: true,
        summary: `How many of my notifications here are unread (counted up to ${unreadCountCap}; \`capped\` says there are more)`,
      }),
    )
    .input(z.object({}).optional())
    .output(z.object({ unread: z.number().int().min(0), capped: z.boolean() }))
    .query(({ ctx }) => countUnreadNotifications(ctx)),

  markRead: tenantMemberProcedure
    .meta(
      rest({
        method: "POST",
        path: "/tenant/notifications/read",
        description: "Marks the listed notifications read; ids that are not the caller's are ignored.",
        protect: true,
        summary: "Mark notifications as read",
      }),
    )
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(100) }))
    .output(z.object({ marked: z.number().int() }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx, input.ids)),

  markAllRead: tenantMemberProcedure
    .meta(
      rest({
        method: "POST",
        path: "/tenant/notifications/read-all",
        description: "Marks every notification of the caller in this tenant read.",
        protect: true,
        summary: "Mark all my notifications as read",
      }),
    )
    .input(z.object({}).optional())
    .output(z.object({ marked: z.number().int() }))
    .mutation(({ ctx }) => markNotificationsRead(ctx, "all")),
});
