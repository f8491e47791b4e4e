import { ConflictError, NotFoundError, requireCanManage, type MemberRole } from "@tenantry/api-core";
import type { MemberContext } from "./tenant-context.ts";
import { lockTenant } from "@tenantry/api-core";
import { auditTenantChange } from "../audit/audit-trail.ts";

export interface MemberEntry {
  userId: string;
  role: MemberRole;
  displayName: string | null;
  email: string | null;
  phone: string | null;
  joinedAt: string;
}

const lastOwner = () =>
  new ConflictError("LAST_OWNER", "A tenant needs an owner: make someone else an owner first (or delete the tenant).");

async function ownerCount(ctx: MemberContext) {
  return ctx.tenantDb.tenantMember.count({ where: { role: "owner" } });
}

async function findMember(ctx: MemberContext, userId: string) {
  const member = await ctx.tenantDb.tenantMember.findUnique({
    where: { tenantId_userId: { tenantId: ctx.tenant.id, userId } },
  });
  if (!member) throw new NotFoundError("MEMBER_NOT_FOUND", `userId: no member ${userId} in this tenant.`);
  return member;
}

export async function listMembers(ctx: MemberContext): Promise<MemberEntry[]> {
  const members = await ctx.tenantDb.tenantMember.findMany({
    include: { user: { select: { displayName: true, email: true, phone: true } } },
    orderBy: { createdAt: "asc" },
  });
  return members.map((m) => ({
    userId: m.userId,
    role: m.role,
    displayName: m.user.displayName,
    email: m.user.email,
    phone: m.user.phone,
    joinedAt: m.createdAt.toISOString(),
  }));
}

export async function changeMemberRole(
  ctx: MemberContext,
  input: { userId: string; role: MemberRole },
): Promise<{ userId: string; role: MemberRole }> {
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const target = await findMember(ctx, input.userId);
  requireCanManage(ctx.membership.role, target.role, input.role);
  if (target.role === "owner" && input.role !== "owner" && (await ownerCount(ctx)) === 1) throw lastOwner();
  await ctx.tenantDb.tenantMember.update({
    where: { tenantId_userId: { tenantId: ctx.tenant.id, userId: input.userId } },
    data: { role: input.role },
  });
  if (target.role !== input.role) {
    await auditTenantChange(ctx, {
      action: "member.role_changed",
      targetType: "user",
      targetId: input.userId,
      details: { from: target.role, to: input.role },
    });
  }
  return { userId: input.userId, role: input.role };
}

export async function removeMember(ctx: MemberContext, userId: string): Promise<{ removed: true }> {
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const target = await findMember(ctx, userId);
  requireCanManage(ctx.membership.role, target.role);
  if (target.role === "owner" && (await ownerCount(ctx)) === 1) throw lastOwner();
  await ctx.tenantDb.tenantMember.delete({ where: { tenantId_userId: { tenantId: ctx.tenant.id, userId } } });
  await auditTenantChange(ctx, {
    action: "member.removed",
    targetType: "user",
    targetId: userId,
    details: { role: target.role },
  });
  return { removed: true };
}

export async function leaveTenant(ctx: MemberContext): Promise<{ left: true }> {
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  if (ctx.membership.role === "owner" && (await ownerCount(ctx)) === 1) throw lastOwner();
  await ctx.tenantDb.tenantMember.delete({
    where: { tenantId_userId: { tenantId: ctx.tenant.id, userId: ctx.actor.userId } },
  });
  await auditTenantChange(ctx, { action: "member.left", targetType: "user", targetId: ctx.actor.userId });
  return { left: true };
}
