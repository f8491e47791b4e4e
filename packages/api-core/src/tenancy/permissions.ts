import { ForbiddenError } from "../errors/auth-errors.ts";

export type MemberRole = "owner" | "admin" | "member";

/** Who may do what in a tenant: the one place to read and change it. */
export const permissions = {
  "tenant.read": ["owner", "admin", "member"],
  "tenant.update": ["owner", "admin"],
  "tenant.delete": ["owner"],
  "members.list": ["owner", "admin", "member"],
  "members.manage": ["owner", "admin"],
  "invitations.manage": ["owner", "admin"],
  "domains.read": ["owner", "admin", "member"],
  "domains.manage": ["owner", "admin"],
  "subscription.read": ["owner", "admin"],
  "subscription.change": ["owner"],
  "modules.manage": ["owner", "admin"],
} as const satisfies Record<string, readonly MemberRole[]>;

export type Permission = keyof typeof permissions;

export function can(role: MemberRole, permission: Permission): boolean {
  return (permissions[permission] as readonly MemberRole[]).includes(role);
}

export function requirePermission(role: MemberRole, permission: Permission): void {
  if (!can(role, permission)) {
    throw new ForbiddenError("PERMISSION_DENIED", `Your role (${role}) may not do this (${permission}).`);
  }
}

/**
 * Owners are managed only by owners: an admin can neither change an owner's role, remove an
 * owner, nor make anyone an owner.
 */
export function requireCanManage(actorRole: MemberRole, targetRole: MemberRole, newRole?: MemberRole): void {
  requirePermission(actorRole, "members.manage");
  if (actorRole !== "owner" && (targetRole === "owner" || newRole === "owner")) {
    throw new ForbiddenError("OWNER_ONLY", "Only an owner can change, remove or appoint owners.");
  }
}
