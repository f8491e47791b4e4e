import {
  ConflictError,
  cursorPage,
  NotFoundError,
  pageQuery,
  type Actor,
  type Context,
  type CursorPage,
} from "@tenantry/api-core";
import { withUserScope } from "@tenantry/db";
import { auditAdminChange } from "../audit/audit-trail.ts";
import { revokeSessions, revokeSessionsIn } from "../auth/sessions.ts";

type AdminContext = Pick<Context, "db" | "auth" | "ip" | "userAgent">;

export interface AdminUserSummary {
  id: string;
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
  displayName: string | null;
  platformRole: "user" | "admin";
  hasPassword: boolean;
  blockedAt: string | null;
  createdAt: string;
}

export interface AdminUserDetail extends AdminUserSummary {
  blockedReason: string | null;
  memberships: Array<{ tenantId: string; slug: string; name: string; status: "active" | "suspended"; role: string }>;
  /** Live sessions (not ended, not revoked), most recently used first. */
  sessions: Array<{
    id: string;
    createdAt: string;
    lastUsedAt: string;
    expiresAt: string;
    userAgent: string | null;
    ipAddress: string | null;
  }>;
}

const summaryColumns = {
  id: true,
  email: true,
  emailVerifiedAt: true,
  phone: true,
  displayName: true,
  platformRole: true,
  passwordHash: true,
  blockedAt: true,
  blockedReason: true,
  createdAt: true,
} as const;

type UserRow = {
  id: string;
  email: string | null;
  emailVerifiedAt: Date | null;
  phone: string | null;
  displayName: string | null;
  platformRole: "user" | "admin";
  passwordHash: string | null;
  blockedAt: Date | null;
  createdAt: Date;
};

const toSummary = (user: UserRow): AdminUserSummary => ({
  id: user.id,
  email: user.email,
  emailVerified: user.emailVerifiedAt !== null,
  phone: user.phone,
  displayName: user.displayName,
  platformRole: user.platformRole,
  hasPassword: user.passwordHash !== null,
  blockedAt: user.blockedAt?.toISOString() ?? null,
  createdAt: user.createdAt.toISOString(),
});

const userNotFound = (userId: string) => new NotFoundError("USER_NOT_FOUND", `userId: no user ${userId}.`);

/**
 * Accounts whose email, phone or name contains `query` (case-insensitive), newest first,
 * cursor-paginated; `blocked` narrows to blocked (or unblocked) accounts.
 */
export async function searchUsers(
  ctx: Pick<Context, "db">,
  input: { query?: string | undefined; blocked?: boolean | undefined; cursor?: string | undefined; limit: number },
): Promise<CursorPage<AdminUserSummary>> {
  const page = pageQuery(input);
  const text = input.query?.trim();
  const rows = await ctx.db.user.findMany({
    ...page,
    select: summaryColumns,
    where: {
      AND: [
        text
          ? {
              OR: [
                { email: { contains: text, mode: "insensitive" as const } },
                { phone: { contains: text } },
                { displayName: { contains: text, mode: "insensitive" as const } },
              ],
            }
          : {},
        input.blocked === undefined ? {} : input.blocked ? { blockedAt: { not: null } } : { blockedAt: null },
        page.where,
      ],
    },
  });
  return cursorPage(rows, input.limit, toSummary);
}

/** One account as its admin sees it: sign-in methods, block, memberships, live sessions. */
export async function getUser(ctx: AdminContext, userId: string): Promise<AdminUserDetail> {
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: summaryColumns });
  if (!user) throw userNotFound(userId);
  // Memberships are under row-level security: read in the user's own scope, as they see them.
  const memberships = await withUserScope(ctx.db, userId, (tx) =>
    tx.tenantMember.findMany({
      where: { userId },
      include: { tenant: { select: { id: true, slug: true, name: true, status: true } } },
      orderBy: { createdAt: "asc" },
    }),
  );
  const sessions = await ctx.db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: ctx.auth.now() } },
    orderBy: { lastUsedAt: "desc" },
  });
  return {
    ...toSummary(user),
    blockedReason: user.blockedReason,
    memberships: memberships.map((m) => ({
      tenantId: m.tenant.id,
      slug: m.tenant.slug,
      name: m.tenant.name,
      status: m.tenant.status,
      role: m.role,
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent,
      ipAddress: s.ipAddress,
    })),
  };
}

/**
 * Blocks an account: it cannot sign in (by password or code), and every session ends now, so
 * its access tokens stop working on their next use. An admin cannot block themselves.
 */
export async function blockUser(ctx: AdminContext, admin: Actor, userId: string, reason: string | undefined) {
  if (userId === admin.userId) throw new ConflictError("CANNOT_BLOCK_SELF", "userId: platform admins cannot block themselves.");
  await ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { blockedAt: true } });
    if (!user) throw userNotFound(userId);
    if (user.blockedAt) return;
    await tx.user.update({ where: { id: userId }, data: { blockedAt: ctx.auth.now(), blockedReason: reason ?? null } });
    await auditAdminChange(tx, ctx, admin, null, {
      action: "admin.user_blocked",
      targetType: "user",
      targetId: userId,
      details: reason ? { reason: reason.slice(0, 500) } : {},
    });
    // In the same transaction: a block is never kept with the account's sessions still alive.
    await revokeSessionsIn(tx, { userId }, "blocked", ctx.auth.now(), { origin: ctx, by: admin.userId });
  });
  return getUser(ctx, userId);
}

export async function unblockUser(ctx: AdminContext, admin: Actor, userId: string) {
  await ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { blockedAt: true } });
    if (!user) throw userNotFound(userId);
    if (!user.blockedAt) return;
    await tx.user.update({ where: { id: userId }, data: { blockedAt: null, blockedReason: null } });
    await auditAdminChange(tx, ctx, admin, null, { action: "admin.user_unblocked", targetType: "user", targetId: userId });
  });
  return getUser(ctx, userId);
}

/** Ends every session of the account (a leaked token, a lost device); it may sign in again. */
export async function signOutUser(ctx: AdminContext, admin: Actor, userId: string): Promise<{ revokedSessions: number }> {
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw userNotFound(userId);
  const revokedSessions = await revokeSessions(ctx.db, { userId }, "signed_out_by_admin", ctx.auth.now(), {
    origin: ctx,
    by: admin.userId,
  });
  return { revokedSessions };
}

/**
 * Grants or withdraws platform admin. Changes to the set of admins take turns on a lock, so two
 * admins withdrawing each other at once cannot leave none: the last admin stays one.
 */
export async function setPlatformRole(ctx: AdminContext, admin: Actor, userId: string, role: "user" | "admin") {
  await ctx.db.$transaction(async (tx) => {
    await tx.$queryRaw`select pg_advisory_xact_lock(hashtext('tenantry.platform-admins'))::text`;
    const user = await tx.user.findUnique({ where: { id: userId }, select: { platformRole: true } });
    if (!user) throw userNotFound(userId);
    if (user.platformRole === role) return;
    if (role === "user" && (await tx.user.count({ where: { platformRole: "admin" } })) === 1) {
      throw new ConflictError("LAST_PLATFORM_ADMIN", "The platform needs an admin: make someone else one first.");
    }
    await tx.user.update({ where: { id: userId }, data: { platformRole: role } });
    await auditAdminChange(tx, ctx, admin, null, {
      action: "admin.platform_role_changed",
      targetType: "user",
      targetId: userId,
      details: { from: user.platformRole, to: role },
    });
  });
  return getUser(ctx, userId);
}

export interface PlatformOverview {
  users: number;
  blockedUsers: number;
  platformAdmins: number;
  tenantsByStatus: Record<string, number>;
  tenantsByPlan: Record<string, number>;
  modulesEnabled: Record<string, number>;
  /** Sessions started (sign-ins, by any method) in the last 24 hours. */
  signInsLastDay: number;
}

/** Counts across every tenant, from a database function that returns aggregates only. */
export async function platformOverview(ctx: Pick<Context, "db" | "auth">): Promise<PlatformOverview> {
  const since = new Date(ctx.auth.now().getTime() - 24 * 60 * 60 * 1000);
  const [row] = await ctx.db.$queryRaw<Array<{ overview: Omit<PlatformOverview, "signInsLastDay"> & { signInsSince: number } }>>`
    select platform_overview(${since}) as overview`;
  const { signInsSince, ...counts } = row!.overview;
  return { ...counts, signInsLastDay: signInsSince };
}
