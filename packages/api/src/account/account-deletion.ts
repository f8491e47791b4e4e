import { keyedHash } from "@tenantry/auth";
import { lockSoleOwnedTenants, withUserScope } from "@tenantry/db";
import { BadInputError, ConflictError, InvalidCredentialsError, type Actor, type Context } from "@tenantry/api-core";
import { consumeCode, sendCode, type CodeSent } from "../auth/one-time-codes.ts";

type AccountContext = Pick<Context, "db" | "auth" | "ip" | "log" | "acceptLanguage">;

/** Sends a deletion code to the account's phone (for accounts without a password). */
export async function requestDeletionCode(ctx: AccountContext, actor: Actor): Promise<CodeSent> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId } });
  if (!user.phone) {
    throw new BadInputError("NO_PHONE", "This account has no phone number; confirm the deletion with your password.");
  }
  return sendCode(ctx, { phone: user.phone, purpose: "account_deletion", userId: actor.userId });
}

export interface DeletionInput {
  password?: string | undefined;
  code?: string | undefined;
  reason?: string | undefined;
}

/**
 * Deletes the account after a fresh confirmation (its password, or a deletion code sent to its
 * phone). Refused while the user is the only owner of a tenant. Memberships, sessions (so every
 * token), codes and the user row with its phone, email and name are removed in one transaction;
 * what stays is a history row with keyed hashes of phone and email, the reason and the time.
 */
export async function deleteAccount(ctx: AccountContext, actor: Actor, input: DeletionInput): Promise<{ deleted: true }> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId } });

  // Checked before the confirmation, so a sole owner is told without spending a password attempt.
  await refuseSoleOwner(ctx.db, user.id);
  await confirmDeletion(ctx, actor, user, input);

  await withUserScope(ctx.db, user.id, async (tx) => {
    // Checked again where the memberships go, under the tenants' locks: two owners deleting
    // their accounts at once each counted the other, and both went, leaving no owner.
    await refuseSoleOwner(tx, user.id);
    await tx.tenantMember.deleteMany({ where: { userId: user.id } });
    await tx.deletedAccount.create({
      data: {
        formerUserId: user.id,
        phoneHash: user.phone ? keyedHash(ctx.auth.historySecret, user.phone) : null,
        emailHash: user.email ? keyedHash(ctx.auth.historySecret, user.email) : null,
        reason: input.reason ?? null,
      },
    });
    // Cascades to sessions, refresh tokens and codes sent for this account; a sign-in code
    // sent to the number before is not linked to the account, so it goes by its target.
    if (user.phone) await tx.oneTimeCode.deleteMany({ where: { target: user.phone } });
    await tx.user.delete({ where: { id: user.id } });
  });
  ctx.log.info({ formerUserId: user.id }, "account deleted");
  return { deleted: true };
}

/**
 * Refuses while the user is the only owner of a tenant. Inside a transaction the tenants they
 * own stay locked until it ends, so the answer still holds when their memberships go.
 */
async function refuseSoleOwner(db: Parameters<typeof lockSoleOwnedTenants>[0], userId: string): Promise<void> {
  const soleOwnerOf = await lockSoleOwnedTenants(db, userId);
  if (soleOwnerOf.length > 0) {
    throw new ConflictError(
      "SOLE_TENANT_OWNER",
      `You are the only owner of ${soleOwnerOf.join(", ")}. Make another member an owner, or delete ` +
        "those tenants, then delete your account.",
    );
  }
}

async function confirmDeletion(
  ctx: AccountContext,
  actor: Actor,
  user: { passwordHash: string | null; phone: string | null },
  input: DeletionInput,
) {
  if (input.password !== undefined) {
    await ctx.auth.limiter.consume("passwordCheckPerUser", actor.userId);
    if (!user.passwordHash || !(await ctx.auth.passwords.verify(user.passwordHash, input.password))) {
      throw new InvalidCredentialsError("CONFIRMATION_FAILED", "password: the password is wrong.");
    }
    return;
  }
  if (input.code !== undefined && user.phone) {
    await consumeCode(ctx, { phone: user.phone, purpose: "account_deletion", code: input.code, userId: actor.userId });
    return;
  }
  throw new BadInputError(
    "CONFIRMATION_REQUIRED",
    user.passwordHash
      ? "password: confirm the deletion with your password."
      : "code: request a deletion code and send it back to confirm.",
  );
}
