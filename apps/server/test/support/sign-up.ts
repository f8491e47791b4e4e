import { randomUUID } from "node:crypto";
import type { RouterOutputs } from "@tenantry/api";

/** Long, not on the common-password list: passes the password policy. */
export const testPassword = "tenantry-Test-pass-9x!";

/** The shapes the API returns, taken from the router itself so tests cannot drift from it. */
export type Tokens = RouterOutputs["auth"]["refresh"];
export type UserProfile = RouterOutputs["account"]["me"];
export type SignedIn = RouterOutputs["auth"]["email"]["signIn"];
export type SessionSummary = RouterOutputs["account"]["sessions"]["list"][number];

/** A registered account: its first session's tokens plus the credentials that made it. */
export interface SignedUp extends SignedIn {
  email: string;
  password: string;
}

/** An address no other test (or earlier run) uses. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomUUID()}@example.test`;
}

export function bearer(accessToken: string): { authorization: string } {
  return { authorization: `Bearer ${accessToken}` };
}

/** POSTs JSON; throws unless the answer is `status` (registration creates: 201). */
async function postOk<T>(url: string, body: unknown, headers: Record<string, string> = {}, status = 200): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (res.status !== status) {
    throw new Error(`POST ${new URL(url).pathname} answered ${res.status}: ${await res.text()}`);
  }
  return (await res.json()) as T;
}

/**
 * Registers an account by email and password on the server at `baseUrl` (e.g. `server.url`) and
 * returns its tokens. Throws unless the server answers 201. Mind `registerPerIp`: one server
 * process accepts 10 registrations per hour from one address.
 */
export async function signUp(
  baseUrl: string,
  options: { email?: string; password?: string; displayName?: string; headers?: Record<string, string> } = {},
): Promise<SignedUp> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? testPassword;
  const signedIn = await postOk<SignedIn>(
    `${baseUrl}/api/v1/auth/email/register`,
    { email, password, ...(options.displayName ? { displayName: options.displayName } : {}) },
    options.headers,
    201,
  );
  return { ...signedIn, email, password };
}

/** Signs in by email and password: a new session of the same account. Throws unless 200. */
export function signIn(
  baseUrl: string,
  credentials: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<SignedIn> {
  const { email, password } = credentials;
  return postOk<SignedIn>(`${baseUrl}/api/v1/auth/email/sign-in`, { email, password }, headers);
}
