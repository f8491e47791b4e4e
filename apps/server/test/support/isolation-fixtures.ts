import { randomBytes } from "node:crypto";
import type { FakeDns } from "./fake-dns.ts";
import { signUp, uniqueEmail } from "./sign-up.ts";

/**
 * The world the tenant isolation suite attacks, and one fixture per tenant-scoped procedure
 * saying how to call it against tenant B. The suite enumerates the router and fails for every
 * tenant-scoped procedure without an entry here, so a new procedure is never silently skipped.
 */

export interface Account {
  userId: string;
  email: string;
  displayName: string;
  accessToken: string;
}

export interface TenantRef {
  id: string;
  slug: string;
  name: string;
}

export interface World {
  /** The attacker's tenant: ownerA (owner), memberA (member), an unverified domain, a pending invitation. */
  a: TenantRef;
  /** The victim: ownerB (owner), memberB (member), a verified domain, a pending invitation. */
  b: TenantRef;
  ownerA: Account;
  memberA: Account;
  ownerB: Account;
  memberB: Account;
  /** Signed in, a member of no tenant. */
  outsider: Account;
  aDomain: { id: string; domain: string };
  bDomain: { id: string; domain: string; verificationValue: string };
  aInvitation: { id: string; email: string };
  bInvitation: { id: string; email: string; token: string };
}

/** One way of calling a procedure; its input names B's objects wherever the input has ids. */
export interface IsolationCase {
  /** Says what the input aims at, for failure messages. */
  label: string;
  /** The procedure's input; `undefined` sends none. */
  input: unknown;
  /**
   * The answer when the caller sends this input in their own tenant (A). A 2xx must have acted
   * on the caller's tenant only; the suite checks that B is untouched and that no B data comes back.
   */
  inOwnTenant: { status: 200 } | { status: number; appCode: string };
}

export interface IsolationFixture {
  cases: (world: World) => IsolationCase[];
}

const ok = { status: 200 } as const;
const refused = (status: number, appCode: string) => ({ status, appCode });

/** Keyed by the procedure's tRPC path (`appRouter._def.procedures`). */
export const isolationFixtures: Record<string, IsolationFixture> = {
  "tenants.public": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.get": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.update": {
    cases: (w) => [
      { label: "rename", input: { name: "Renamed by an attacker" }, inOwnTenant: ok },
      { label: "take B's slug", input: { slug: w.b.slug }, inOwnTenant: refused(409, "SLUG_TAKEN") },
    ],
  },
  "tenants.delete": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  // ownerA is the only owner of the tenant the call runs in.
  "tenants.leave": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: refused(409, "LAST_OWNER") }] },

  "tenants.members.list": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.members.changeRole": {
    cases: (w) => [
      { label: "promote B's member", input: { userId: w.memberB.userId, role: "owner" }, inOwnTenant: refused(404, "MEMBER_NOT_FOUND") },
      { label: "demote B's owner", input: { userId: w.ownerB.userId, role: "member" }, inOwnTenant: refused(404, "MEMBER_NOT_FOUND") },
    ],
  },
  "tenants.members.remove": {
    cases: (w) => [
      { label: "B's member", input: { userId: w.memberB.userId }, inOwnTenant: refused(404, "MEMBER_NOT_FOUND") },
      { label: "B's owner", input: { userId: w.ownerB.userId }, inOwnTenant: refused(404, "MEMBER_NOT_FOUND") },
    ],
  },

  // Inviting B's people into A must work like inviting anyone: an ALREADY_MEMBER or
  // INVITATION_PENDING here would tell A who belongs to (or is invited to) B.
  "tenants.invitations.create": {
    cases: (w) => [
      { label: "B's member's email", input: { email: w.memberB.email, role: "member" }, inOwnTenant: ok },
      { label: "B's invitee's email", input: { email: w.bInvitation.email, role: "admin" }, inOwnTenant: ok },
    ],
  },
  "tenants.invitations.list": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.invitations.revoke": {
    cases: (w) => [
      { label: "B's pending invitation", input: { invitationId: w.bInvitation.id }, inOwnTenant: refused(404, "INVITATION_NOT_FOUND") },
    ],
  },

  "tenants.domains.list": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  // Domains are unique across the platform (and B's resolves publicly), so "taken" is no leak.
  "tenants.domains.add": {
    cases: (w) => [{ label: "claim B's domain", input: { domain: w.bDomain.domain }, inOwnTenant: refused(409, "DOMAIN_TAKEN") }],
  },
  "tenants.domains.verify": {
    cases: (w) => [{ label: "B's domain", input: { domainId: w.bDomain.id }, inOwnTenant: refused(404, "DOMAIN_NOT_FOUND") }],
  },
  "tenants.domains.setPrimary": {
    cases: (w) => [{ label: "B's domain", input: { domainId: w.bDomain.id }, inOwnTenant: refused(404, "DOMAIN_NOT_FOUND") }],
  },
  "tenants.domains.remove": {
    cases: (w) => [{ label: "B's domain", input: { domainId: w.bDomain.id }, inOwnTenant: refused(404, "DOMAIN_NOT_FOUND") }],
  },

  "tenants.subscription.get": { cases: () => [{ label: "no input", input: undefined, inOwnTenant: ok }] },
  "tenants.subscription.changePlan": { cases: () => [{ label: "upgrade to pro", input: { planCode: "pro" }, inOwnTenant: ok }] },
};

/**
 * Everything of B's that A must never read. Ids, slug and name are B's public face (the
 * `public` procedures show them); the suite allows exactly those there.
 */
export function privateValuesOfB(w: World): Array<{ label: string; value: string }> {
  return [
    { label: "B's id", value: w.b.id },
    { label: "B's slug", value: w.b.slug },
    { label: "B's name", value: w.b.name },
    { label: "ownerB's user id", value: w.ownerB.userId },
    { label: "ownerB's email", value: w.ownerB.email },
    { label: "ownerB's display name", value: w.ownerB.displayName },
    { label: "memberB's user id", value: w.memberB.userId },
    { label: "memberB's email", value: w.memberB.email },
    { label: "memberB's display name", value: w.memberB.displayName },
    { label: "B's domain id", value: w.bDomain.id },
    { label: "B's domain", value: w.bDomain.domain },
    { label: "B's domain verification value", value: w.bDomain.verificationValue },
    { label: "B's invitation id", value: w.bInvitation.id },
    { label: "B's invitation email", value: w.bInvitation.email },
    { label: "B's invitation token", value: w.bInvitation.token },
  ];
}

// ---------------------------------------------------------------------------------------------
// Building the world through the REST API.

export interface RestAnswer<T = unknown> {
  status: number;
  body: T;
}

export async function restCall<T = unknown>(
  baseUrl: string,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: { token?: string; tenant?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RestAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant !== undefined) headers["x-tenant"] = options.tenant;
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Like `restCall`, but throws (with the answer) unless the status is 200. */
export async function restOk<T>(...args: Parameters<typeof restCall>): Promise<T> {
  const answer = await restCall<T>(...args);
  if (answer.status !== 200) {
    throw new Error(`${args[1]} ${args[2]} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

const suffix = () => randomBytes(4).toString("hex");

let nextAddress = 1;
/**
 * Registers with its own `X-Forwarded-For` (the server must trust one proxy hop), so the world
 * never runs into the 10-registrations-per-hour-per-address limit.
 */
export async function register(baseUrl: string, label: string): Promise<Account> {
  const displayName = `${label} ${suffix()}`;
  const address = `198.51.100.${nextAddress}`;
  nextAddress = (nextAddress % 250) + 1;
  const signedUp = await signUp(baseUrl, {
    email: uniqueEmail(label),
    displayName,
    headers: { "x-forwarded-for": address },
  });
  return { userId: signedUp.user.id, email: signedUp.email, displayName, accessToken: signedUp.accessToken };
}

/** A new tenant owned by `owner`. */
export async function createTenant(baseUrl: string, owner: Account, label: string): Promise<TenantRef> {
  const slug = `${label}-${suffix()}`;
  const name = `Isolation ${label} ${suffix()}`;
  const created = await restOk<TenantRef>(baseUrl, "POST", "/tenants", { token: owner.accessToken, body: { slug, name } });
  return { id: created.id, slug: created.slug, name: created.name };
}

async function inviteAndAccept(baseUrl: string, tenant: TenantRef, owner: Account, invitee: Account) {
  const { token } = await restOk<{ token: string }>(baseUrl, "POST", "/tenant/invitations", {
    token: owner.accessToken,
    tenant: tenant.slug,
    body: { email: invitee.email, role: "member" },
  });
  await restOk(baseUrl, "POST", "/invitations/accept", { token: invitee.accessToken, body: { token } });
}

interface DomainEntry {
  id: string;
  domain: string;
  verified: boolean;
  verification: { name: string; value: string };
}

export async function buildWorld(baseUrl: string, dns: FakeDns): Promise<World> {
  const ownerA = await register(baseUrl, "owner-a");
  const memberA = await register(baseUrl, "member-a");
  const ownerB = await register(baseUrl, "owner-b");
  const memberB = await register(baseUrl, "member-b");
  const outsider = await register(baseUrl, "outsider");

  const a = await createTenant(baseUrl, ownerA, "iso-a");
  const b = await createTenant(baseUrl, ownerB, "iso-b");
  await inviteAndAccept(baseUrl, a, ownerA, memberA);
  await inviteAndAccept(baseUrl, b, ownerB, memberB);

  const aDomain = await restOk<DomainEntry>(baseUrl, "POST", "/tenant/domains", {
    token: ownerA.accessToken,
    tenant: a.slug,
    body: { domain: `adom-${suffix()}.example.com` },
  });
  const bDomain = await restOk<DomainEntry>(baseUrl, "POST", "/tenant/domains", {
    token: ownerB.accessToken,
    tenant: b.slug,
    body: { domain: `bdom-${suffix()}.example.com` },
  });
  dns.setTxt(bDomain.verification.name, [bDomain.verification.value]);
  const verified = await restOk<DomainEntry>(baseUrl, "POST", `/tenant/domains/${bDomain.id}/verify`, {
    token: ownerB.accessToken,
    tenant: b.slug,
  });
  if (!verified.verified) throw new Error("B's domain did not verify");

  const aInvitationEmail = uniqueEmail("invitee-a");
  const aInvitation = await restOk<{ invitation: { id: string } }>(baseUrl, "POST", "/tenant/invitations", {
    token: ownerA.accessToken,
    tenant: a.slug,
    body: { email: aInvitationEmail, role: "member" },
  });
  const bInvitationEmail = uniqueEmail("invitee-b");
  const bInvitation = await restOk<{ invitation: { id: string }; token: string }>(baseUrl, "POST", "/tenant/invitations", {
    token: ownerB.accessToken,
    tenant: b.slug,
    body: { email: bInvitationEmail, role: "admin" },
  });

  return {
    a,
    b,
    ownerA,
    memberA,
    ownerB,
    memberB,
    outsider,
    aDomain: { id: aDomain.id, domain: aDomain.domain },
    bDomain: { id: bDomain.id, domain: bDomain.domain, verificationValue: bDomain.verification.value },
    aInvitation: { id: aInvitation.invitation.id, email: aInvitationEmail },
    bInvitation: { id: bInvitation.invitation.id, email: bInvitationEmail, token: bInvitation.token },
  };
}

/** B as its owner sees it: what no call made by A may change. */
export async function snapshotOfB(baseUrl: string, w: World): Promise<Record<string, unknown>> {
  const read = (path: string) => restOk<unknown>(baseUrl, "GET", path, { token: w.ownerB.accessToken, tenant: w.b.slug });
  return {
    tenant: await read("/tenant"),
    public: await read("/tenant/public"),
    members: await read("/tenant/members"),
    domains: await read("/tenant/domains"),
    invitations: await read("/tenant/invitations"),
    subscription: await read("/tenant/subscription"),
  };
}
