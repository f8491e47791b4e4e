import { NotFoundError, type Context } from "@tenantry/api-core";
import type { MessageLocale } from "../messages/message-locale.ts";

export interface UserProfile {
  id: string;
  phone: string | null;
  email: string | null;
  /** The account proved it reads `email` (a mailed code came back). */
  emailVerified: boolean;
  displayName: string | null;
  /** The language the account's mail and SMS are written in; null: the request's Accept-Language. */
  locale: string | null;
  platformRole: "user" | "admin";
  hasPassword: boolean;
  createdAt: string;
}

export const profileColumns = {
  id: true,
  phone: true,
  email: true,
  emailVerifiedAt: true,
  displayName: true,
  locale: true,
  platformRole: true,
  passwordHash: true,
  blockedAt: true,
  createdAt: true,
} as const;

export function toProfile(user: {
  id: string;
  phone: string | null;
  email: string | null;
  emailVerifiedAt: Date | null;
  displayName: string | null;
  locale: string | null;
  platformRole: "user" | "admin";
  passwordHash: string | null;
  createdAt: Date;
}): UserProfile {
  return {
    id: user.id,
    phone: user.phone,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    displayName: user.displayName,
    locale: user.locale,
    platformRole: user.platformRole,
    hasPassword: user.passwordHash !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function getProfile(ctx: Pick<Context, "db">, userId: string): Promise<UserProfile> {
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: profileColumns });
  // The session check already ran; a missing user means it was deleted a moment ago.
  if (!user) throw new NotFoundError("USER_NOT_FOUND", "This account no longer exists.");
  return toProfile(user);
}

export async function updateProfile(
  ctx: Pick<Context, "db">,
  userId: string,
  input: { displayName?: string | null | undefined; locale?: MessageLocale | null | undefined },
): Promise<UserProfile> {
  const user = await ctx.db.user.update({
    where: { id: userId },
    data: {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
    },
    select: profileColumns,
  });
  return toProfile(user);
}
