import { randomBytes } from "node:crypto";
import type { RouterOutputs } from "@tenantry/api";
import { request as httpRequest } from "node:http";
import { expect } from "vitest";
import { expectApiError, expectStatus, type ErrorBody } from "./accounts.ts";
import type { FakeSmtp } from "./fake-smtp.ts";
import { testMailbox } from "./mailbox.ts";
import { signUp, uniqueEmail, type SignedUp } from "./sign-up.ts";

/**
 * Helpers for the tenant HTTP suites: a REST caller that can set `Authorization`, `X-Tenant` and
 * even `Host` (through `node:http`, since fetch does not let a caller pick the Host header),
 * registration from a fresh client address each time (the per-IP registration limit would stop a
 * suite after ten accounts), and the usual set-up steps: create a tenant, invite and accept.
 */

/** The platform domain the tenant suites run with: `<slug>.tenantry.test` is tenant `slug`. */
export const platformDomain = "tenantry.test";

/** A strong password for the seeded platform admin (`admin@tenantry.local`). */
export const seedAdminPassword = "orchid-lantern-harbour-57";

/**
 * Server environment for tenant suites: subdomains under `tenantry.test`, one trusted proxy hop
 * (so each registration can come from its own `X-Forwarded-For` address) and a seeded admin.
 */
export function tenantEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PLATFORM_DOMAIN: platformDomain,
    TRUST_PROXY_HOPS: "1",
    SEED_ADMIN_PASSWORD: seedAdminPassword,
    ...overrides,
  };
}

let addressCounter = 0;
/** A client address no other registration of this process used: `10.a.b.c`. */
export function freshClientAddress(): string {
  addressCounter += 1;
  const n = addressCounter + (process.pid % 1000) * 10_000;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Registers an account by email from a fresh client address (the server must trust one proxy
 * hop, see `tenantEnv`), so any number of accounts can be made on one server, waits for the
 * verification code registration mails, and verifies the address with it as its owner would
 * (`verifyEmail: false` leaves it unproven). `mailbox`: where this server mails, when not the
 * shared test mailbox; null when its mail goes to its log (nothing to wait for or verify with).
 */
export async function register(
  server: { url: string },
  options: { email?: string; displayName?: string; verifyEmail?: boolean; mailbox?: FakeSmtp | null } = {},
): Promise<SignedUp> {
  const { verifyEmail: verify = true, mailbox: ownMailbox, ...account } = options;
  const mailbox = ownMailbox === undefined ? await testMailbox() : ownMailbox;
  if (verify && !mailbox) throw new Error("register: verifying the address needs the mailbox the server mails to");
  const email = account.email ?? uniqueEmail();
  const seen = mailbox ? mailsTo(mailbox, email) : 0;
  const user = await signUp(server.url, { ...account, email, headers: { "x-forwarded-for": freshClientAddress() } });
  if (!mailbox) return user;
  // The mail goes out after the answer. Waiting for it here keeps it out of what the test mails
  // and counts next (it could otherwise land after a code the test asks for, and replace it as
  // the last mail to the address).
  await registrationMailTo(mailbox, email, seen);
  if (verify) {
    const code = mailbox.lastCodeFor(email);
    await expectStatus(
      await call(server, "POST", "/account/email/verification", { token: user.accessToken, body: { code } }),
      200,
    );
  }
  return user;
}

function mailsTo(mailbox: FakeSmtp, address: string): number {
  return mailbox.received.filter((m) => m.to.includes(address.toLowerCase())).length;
}

// A plain loop rather than expect.poll, which works only inside a test, not in beforeAll.
async function registrationMailTo(mailbox: FakeSmtp, address: string, seen: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (mailsTo(mailbox, address) <= seen) {
    if (Date.now() > deadline) throw new Error(`registration mailed nothing to ${address} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface CallOptions {
  /** Access token, sent as a bearer token. */
  token?: string | undefined;
  /** Tenant id or slug, sent as `X-Tenant`. */
  tenant?: string | undefined;
  /** The `Host` header; when set the request goes through `node:http` so it really is sent. */
  host?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends one request to `${server.url}/api/v1${path}` and returns a standard `Response`. */
export async function call(server: { url: string }, method: Method, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant !== undefined) headers["x-tenant"] = options.tenant;
  const body = options.body !== undefined ? JSON.stringify(options.body) : undefined;
  const url = `${server.url}/api/v1${path}`;
  if (options.host === undefined) return fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  return requestWithHost(url, method, { ...headers, host: options.host }, body);
}

function requestWithHost(
  url: string,
  method: Method,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
        }
        const status = res.statusCode ?? 0;
        const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(payload, { status, headers: responseHeaders }));
      });
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * A `fetch` for clients (such as the SDK) that sends every request with `Host: host`, as a
 * browser on the tenant's own domain would, while connecting to the test server.
 */
export function fetchVia(host: string) {
  return async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
      throw new TypeError("fetchVia sends string bodies only");
    }
    const method = (init.method ?? "GET").toUpperCase() as Method;
    return requestWithHost(url, method, { ...headers, host }, init.body ?? undefined);
  };
}

/** A REST client bound to a server with the tenant options above. */
export function tenantClient(server: { url: string }) {
  return {
    get: (path: string, options: Omit<CallOptions, "body"> = {}) => call(server, "GET", path, options),
    post: (path: string, body: unknown = {}, options: Omit<CallOptions, "body"> = {}) =>
      call(server, "POST", path, { ...options, body }),
    patch: (path: string, body: unknown, options: Omit<CallOptions, "body"> = {}) =>
      call(server, "PATCH", path, { ...options, body }),
    delete: (path: string, options: Omit<CallOptions, "body"> = {}) => call(server, "DELETE", path, options),
  };
}

export type TenantClient = ReturnType<typeof tenantClient>;

export { expectApiError, expectStatus, type ErrorBody };

/** Response shapes, taken from the router so the tests cannot drift from the API. */
export type TenantSummary = RouterOutputs["tenants"]["get"];
export type Role = TenantSummary["role"];
export type Member = RouterOutputs["tenants"]["members"]["list"][number];
export type Invitation = RouterOutputs["tenants"]["invitations"]["list"][number];
export type Domain = RouterOutputs["tenants"]["domains"]["add"];
export type Plan = RouterOutputs["plans"]["list"][number];
export type Subscription = RouterOutputs["tenants"]["subscription"]["get"];

/** A valid slug no other call of this process returns, e.g. `acme-k3x9q2`. */
export function uniqueSlug(prefix = "t"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

export async function createTenant(
  server: { url: string },
  token: string,
  input: { slug?: string; name?: string } = {},
): Promise<TenantSummary> {
  const slug = input.slug ?? uniqueSlug();
  const res = await call(server, "POST", "/tenants", { token, body: { slug, name: input.name ?? `Tenant ${slug}` } });
  return expectStatus<TenantSummary>(res, 201);
}

export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
}

export async function invite(
  server: { url: string },
  token: string,
  tenant: string,
  input: { email?: string; phone?: string; role?: Role },
): Promise<CreatedInvitation> {
  const res = await call(server, "POST", "/tenant/invitations", { token, tenant, body: input });
  return expectStatus<CreatedInvitation>(res, 201);
}

export interface AcceptedInvitation {
  tenantId: string;
  slug: string;
  name: string;
  role: Role;
}

/**
 * Proves the account reads its address, as a person does: asks for a code, reads it from the
 * test mailbox, sends it back. An address verified before is left as it is. For an account made
 * with `register` and not verified yet: its registration code (mailed after the answer) is
 * awaited first, so that the code asked for here is the last one, never overtaken by the older.
 */
export async function verifyEmail(server: { url: string }, user: { email: string; accessToken: string }): Promise<void> {
  const mailbox = await testMailbox();
  await mailbox.waitForCodeTo(user.email);
  const requested = await call(server, "POST", "/account/email/verification/request-code", { token: user.accessToken, body: {} });
  if (requested.status === 409) return;
  await expectStatus(requested, 200);
  const code = mailbox.lastCodeFor(user.email);
  await expectStatus(await call(server, "POST", "/account/email/verification", { token: user.accessToken, body: { code } }), 200);
}

export async function accept(server: { url: string }, token: string, invitationToken: string): Promise<AcceptedInvitation> {
  const res = await call(server, "POST", "/invitations/accept", { token, body: { token: invitationToken } });
  return expectStatus<AcceptedInvitation>(res, 200);
}

/**
 * Makes `user` a member of `tenant` with `role` the way people do it: an owner (or admin)
 * invites the user's email and the user accepts.
 */
export async function join(
  server: { url: string },
  inviterToken: string,
  tenant: string,
  user: { email: string; accessToken: string },
  role: Role,
): Promise<AcceptedInvitation> {
  const { token } = await invite(server, inviterToken, tenant, { email: user.email, role });
  await verifyEmail(server, user);
  const accepted = await accept(server, user.accessToken, token);
  expect(accepted.role).toBe(role);
  return accepted;
}

/** Registers a fresh account and makes it a member of `tenant` with `role`. */
export async function registerMember(
  server: { url: string },
  inviterToken: string,
  tenant: string,
  role: Role,
  label = role,
): Promise<SignedUp> {
  const user = await register(server, { email: uniqueEmail(label) });
  await join(server, inviterToken, tenant, user, role);
  return user;
}

export async function listMembers(server: { url: string }, token: string, tenant: string): Promise<Member[]> {
  return expectStatus<Member[]>(await call(server, "GET", "/tenant/members", { token, tenant }), 200);
}

/** `{ userId: role }` of every member, for compact assertions. */
export async function rolesOf(server: { url: string }, token: string, tenant: string): Promise<Record<string, Role>> {
  const members = await listMembers(server, token, tenant);
  return Object.fromEntries(members.map((m) => [m.userId, m.role]));
}
