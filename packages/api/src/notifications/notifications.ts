import { cursorPage, pageQuery } from "@tenantry/api-core";
import type { MemberContext } from "../tenants/tenant-context.ts";
import { knownNotificationKinds } from "./notification-kinds.ts";

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
    where: {
      AND: [
        { userId: ctx.actor.userId, kind: { in: knownNotificationKinds } },
        input.unreadOnly ? { readAt: null } : {},
        page.where,
      ],
    },
  });
  return cursorPage(rows, input.limit, toEntry);
}

/** Counting stops here: a badge shows "1000+", and a member with a million unread costs no more. */
export const unreadCountCap = 1000;

/**
 * How many of the caller's notifications here are unread, up to `unreadCountCap` (`capped` says
 * there are more). Its own procedure, so listing a page never pays for counting.
 */
export async function countUnreadNotifications(ctx: MemberContext): Promise<{ unread: number; capped: boolean }> {
  const [row] = await ctx.tenantDb.$queryRaw<Array<{ n: number }>>`
    select count(*)::int as n from (
      select 1 from notifications
       where tenant_id = ${ctx.tenant.id}::uuid and user_id = ${ctx.actor.userId}::uuid and read_at is null
         and kind = any(${knownNotificationKinds}::text[])
       limit ${unreadCountCap + 1}
    ) unread`;
  const n = row?.n ?? 0;
  return { unread: Math.min(n, unreadCountCap), capped: n > unreadCountCap };
}

/** Marks the caller's own notifications read: the ones named, or all. Others' ids are ignored. */
export async function markNotificationsRead(ctx: MemberContext, ids: string[] | "all"): Promise<{ marked: number }> {
  const { count } = await ctx.tenantDb.notification.updateMany({
    where: { userId: ctx.actor.userId, readAt: null, ...(ids === "all" ? {} : { id: { in: ids } }) },
    data: { readAt: ctx.auth.now() },
  });
  return { marked: count };
}
