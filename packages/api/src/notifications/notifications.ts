import { cursorPage, pageQuery } from "@tenantry/api-core";
import type { MemberContext } from "../tenants/tenant-context.ts";

export interface NotificationEntry {
  id: string;
  source: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read: boolean;
  createdAt: string;
}

type Row = Awaited<ReturnType<MemberContext["tenantDb"]["notification"]["findMany"]>>[number];

const toEntry = (row: Row): NotificationEntry => ({
  id: row.id,
  source: row.source,
  kind: row.kind,
  title: row.title,
  body: row.body,
  data: row.data as Record<string, unknown>,
  read: row.readAt !== null,
  createdAt: row.createdAt.toISOString(),
});

/** The caller's notifications in this tenant, newest first. */
export async function listNotifications(
  ctx: MemberContext,
  input: { cursor?: string | undefined; limit: number; unreadOnly: boolean },
) {
  const page = pageQuery(input);
  const rows = await ctx.tenantDb.notification.findMany({
    ...page,
    where: { AND: [{ userId: ctx.actor.userId }, input.unreadOnly ? { readAt: null } : {}, page.where] },
  });
  const unread = await ctx.tenantDb.notification.count({ where: { userId: ctx.actor.userId, readAt: null } });
  return { ...cursorPage(rows, input.limit, toEntry), unread };
}

/** Marks the caller's own notifications read: the ones named, or all. Others' ids are ignored. */
export async function markNotificationsRead(ctx: MemberContext, ids: string[] | "all"): Promise<{ marked: number }> {
  const { count } = await ctx.tenantDb.notification.updateMany({
    where: { userId: ctx.actor.userId, readAt: null, ...(ids === "all" ? {} : { id: { in: ids } }) },
    data: { readAt: ctx.auth.now() },
  });
  return { marked: count };
}
