import { createHash, randomBytes } from "node:crypto";
import { findInvitationTenant, withTenantScope } from "@tenantry/db";
import { MailDeliveryError, SmsDeliveryError } from "@tenantry/auth";
import {
  BadInputError,
  ConflictError,
  EmailUnavailableError,
  ForbiddenError,
  maskEmail,
  maskPhone,
  NotFoundError,
  recordAudit,
  requireCanManage,
  SmsUnavailableError,
  type Actor,
  type Context,
  type MemberRole,
} from "@tenantry/api-core";
import { requireFreeSeat } from "./plan-usage.ts";
import type { MemberContext } from "./tenant-context.ts";
import { lockTenant } from "@tenantry/api-core";
import { auditTenantChange } from "../audit/audit-trail.ts";
import { chooseMessageLocale, type MessageLocale } from "../messages/message-locale.ts";
import { renderMessage } from "../messages/render-message.ts";

const invitationLifetimeMs = 48 * 60 * 60 * 1000;

export interface InvitationEntry {
  id: string;
  email: string | null;
  phone: string | null;
  role: MemberRole;
  expiresAt: string;
  createdAt: string;
}

type InvitationRow = {
  id: string;
  email: string | null;
  phone: string | null;
  role: MemberRole;
  expiresAt: Date;
  createdAt: Date;
};

const toEntry = (row: InvitationRow): InvitationEntry => ({
  id: row.id,
  email: row.email,
  phone: row.phone,
  role: row.role,
  expiresAt: row.expiresAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
});

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface CreatedInvitation {
  invitation: InvitationEntry;
  /** Shown once: pass it to the invitee (phone invitations also get it by SMS). */
  token: string;
}

/** The inviter's request says which language to write to someone without an account in. */
type InvitingContext = MemberContext & Pick<Context, "acceptLanguage">;

/**
 * Invites a phone number or an email with a role. Refused for someone already a member or
 * already invited, and when the plan has no free seat (pending invitations count). The message
 * is in the invitee's language if they have an account, else in the inviter's (Accept-Language).
 */
export async function createInvitation(
  ctx: InvitingContext,
  input: { email?: string | undefined; phone?: string | undefined; role: MemberRole },
): Promise<CreatedInvitation> {
  requireCanManage(ctx.membership.role, "member", input.role);
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const now = ctx.auth.now();
  const target = input.email ? { email: input.email } : { phone: input.phone! };

  // Accounts are not tenant-owned rows: the tenant-scoped client reads them as any client does.
  const existingUser = await ctx.tenantDb.user.findFirst({ where: target, select: { id: true, locale: true } });
  if (existingUser) {
    const member = await ctx.tenantDb.tenantMember.findUnique({
      where: { tenantId_userId: { tenantId: ctx.tenant.id, userId: existingUser.id } },
    });
    if (member) throw new ConflictError("ALREADY_MEMBER", "This person is already a member of the tenant.");
  }
  const pending = await ctx.tenantDb.invitation.findFirst({
    where: { ...target, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
  });
  if (pending) {
    throw new ConflictError("INVITATION_PENDING", "This person already has a pending invitation; revoke it to send a new one.");
  }
  await requireFreeSeat(ctx.tenantDb, now);

  const token = randomBytes(24).toString("base64url");
  const row = await ctx.tenantDb.invitation.create({
    data: {
      tenantId: ctx.tenant.id,
      ...target,
      role: input.role,
      tokenHash: hashToken(token),
      invitedById: ctx.actor.userId,
      expiresAt: new Date(now.getTime() + invitationLifetimeMs),
    },
  });
  const locale = chooseMessageLocale({ userLocale: existingUser?.locale, acceptLanguage: ctx.acceptLanguage });
  if (input.phone) await sendInvitationSms(ctx, input.phone, token, locale);
  else await sendInvitationMail(ctx, input.email!, token, locale);
  await auditTenantChange(ctx, {
    action: "invitation.created",
    targetType: "invitation",
    targetId: row.id,
    details: { role: input.role, to: input.email ? maskEmail(input.email) : maskPhone(input.phone!) },
  });
  return { invitation: toEntry(row), token };
}

/**
 * The invitation by mail, with the tenant's name and the token to accept with. A failed mail
 * fails the request (503 EMAIL_UNAVAILABLE), and the surrounding transaction drops the invitation.
 */
async function sendInvitationMail(ctx: MemberContext, email: string, token: string, locale: MessageLocale) {
  const tenant = await ctx.tenantDb.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id }, select: { name: true } });
  try {
    await ctx.auth.mail.send({ to: email, ...renderMessage("invitationMail", locale, { tenantName: tenant.name, token }) });
  } catch (error) {
    if (!(error instanceof MailDeliveryError)) throw error;
    ctx.log.error({ err: error, provider: error.details.provider }, "invitation mail failed");
    throw new EmailUnavailableError();
  }
}

/** A failed SMS fails the request, and the surrounding transaction drops the invitation. */
async function sendInvitationSms(ctx: MemberContext, phone: string, token: string, locale: MessageLocale) {
  const tenant = await ctx.tenantDb.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id }, select: { name: true } });
  try {
    await ctx.auth.sms.send({ to: phone, ...renderMessage("invitationSms", locale, { tenantName: tenant.name, token }) });
  } catch (error) {
    if (!(error instanceof SmsDeliveryError)) throw error;
    ctx.log.error({ err: error }, "invitation SMS failed");
    throw new SmsUnavailableError();
  }
}

export async function listPendingInvitations(ctx: MemberContext): Promise<InvitationEntry[]> {
  const rows = await ctx.tenantDb.invitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: ctx.auth.now() } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toEntry);
}

/**
 * Under the tenant lock, as acceptance is: a revocation that read the invitation as pending
 * while it was being accepted went on to mark it revoked and answer 200, though the invitee
 * had joined.
 */
export async function revokeInvitation(ctx: MemberContext, invitationId: string): Promise<{ revoked: true }> {
  await lockTenant(ctx.tenantDb, ctx.tenant.id);
  const invitation = await ctx.tenantDb.invitation.findUnique({ where: { id: invitationId } });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) {
    throw new NotFoundError("INVITATION_NOT_FOUND", `invitationId: no pending invitation ${invitationId}.`);
  }
  requireCanManage(ctx.membership.role, "member", invitation.role);
  await ctx.tenantDb.invitation.update({ where: { id: invitationId }, data: { revokedAt: ctx.auth.now() } });
  await auditTenantChange(ctx, { action: "invitation.revoked", targetType: "invitation", targetId: invitationId });
  return { revoked: true };
}

export interface AcceptedInvitation {
  tenantId: string;
  slug: string;
  name: string;
  role: MemberRole;
}

/**
 * Joins the signed-in account to the invitation's tenant. The account must be the one invited
 * (same email, verified, or phone); the token works once, for 48 hours, unless revoked.
 */
export async function acceptInvitation(
  ctx: Pick<Context, "db" | "auth" | "ip" | "userAgent">,
  actor: Actor,
  token: string,
): Promise<AcceptedInvitation> {
  const tokenHash = hashToken(token);
  const tenantId = await findInvitationTenant(ctx.db, tokenHash);
  if (!tenantId) throw new NotFoundError("INVITATION_NOT_FOUND", "token: no invitation with this token.");
  const now = ctx.auth.now();

  return withTenantScope(ctx.db, { tenantId, userId: actor.userId }, async (tx) => {
    await lockTenant(tx, tenantId);
    const invitation = await tx.invitation.findUniqueOrThrow({ where: { tokenHash }, include: { tenant: true } });
    if (invitation.revokedAt) throw new BadInputError("INVITATION_REVOKED", "This invitation was revoked.");
    if (invitation.acceptedAt) throw new BadInputError("INVITATION_USED", "This invitation has already been used.");
    if (invitation.expiresAt <= now)
      throw new BadInputError("INVITATION_EXPIRED", "This invitation has expired; ask for a new one.");

    const user = await tx.user.findUniqueOrThrow({
      where: { id: actor.userId },
      select: { email: true, emailVerifiedAt: true, phone: true },
    });
    const isInvitee =
      (invitation.email && invitation.email === user.email) || (invitation.phone && invitation.phone === user.phone);
    if (!isInvitee) {
      throw new ForbiddenError(
        "INVITATION_NOT_FOR_YOU",
        `This invitation is for ${invitation.email ? "another email address" : "another phone number"}; sign in with that account.`,
      );
    }
    // Anyone can register any address, so an email invitation needs the address proven (a code
    // mailed to it came back). Phone numbers are proven by the code that signed the account in.
    if (invitation.email && !user.emailVerifiedAt) {
      throw new ForbiddenError(
        "EMAIL_NOT_VERIFIED",
        "Verify your email address first: POST /account/email/verification/request-code, then POST /account/email/verification with the code it mails you.",
      );
    }
    const existing = await tx.tenantMember.findUnique({ where: { tenantId_userId: { tenantId, userId: actor.userId } } });
    if (existing) throw new ConflictError("ALREADY_MEMBER", "You are already a member of this tenant.");

    // Single use even when two requests race: only one update finds it unaccepted.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: now, acceptedById: actor.userId },
    });
    if (claimed.count !== 1) throw new BadInputError("INVITATION_USED", "This invitation has already been used.");
    // The seat was reserved by the pending invitation, so only members are counted here.
    await requireFreeSeat(tx, now, false);
    await tx.tenantMember.create({ data: { tenantId, userId: actor.userId, role: invitation.role } });
    await recordAudit(tx, {
      action: "member.joined",
      targetType: "user",
      targetId: actor.userId,
      details: { role: invitation.role, invitationId: invitation.id },
      tenantId,
      actorType: "user",
      actorId: actor.userId,
      origin: ctx,
    });
    return { tenantId, slug: invitation.tenant.slug, name: invitation.tenant.name, role: invitation.role };
  });
}
