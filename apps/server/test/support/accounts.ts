import { expect } from "vitest";
import type { FakeTwilio } from "./fake-twilio.ts";
import { uniqueEmail, type SignedIn } from "./sign-up.ts";

/**
 * Sign-up and sign-in helpers for HTTP tests: they speak the REST API of a running server (only
 * its `url` is needed) and read SMS codes off the fake Twilio.
 */

// The response shapes and unique emails are shared with the token tests' helpers.
export type { SignedIn, UserProfile as Profile } from "./sign-up.ts";
export { uniqueEmail } from "./sign-up.ts";

export interface ErrorBody {
  code: string;
  message: string;
  data: {
    appCode: string;
    httpStatus: number;
    issues?: Array<{ field: string; message: string }>;
    stack?: string;
  };
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** A REST client bound to a server: `rest.post("/auth/email/register", body, token)`. */
export function restClient(server: { url: string }) {
  const call = (method: Method, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    return fetch(`${server.url}/api/v1${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  };
  return {
    get: (path: string, token?: string) => call("GET", path, undefined, token),
    post: (path: string, body: unknown = {}, token?: string) => call("POST", path, body, token),
    patch: (path: string, body: unknown, token?: string) => call("PATCH", path, body, token),
    delete: (path: string, token?: string) => call("DELETE", path, undefined, token),
  };
}

export type RestClient = ReturnType<typeof restClient>;

/** Reads a JSON body after checking the status (the body is shown when the status is wrong). */
export async function expectStatus<T = unknown>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  const body = text ? (JSON.parse(text) as T) : (undefined as T);
  expect({ status: res.status, body }).toMatchObject({ status });
  return body;
}

/**
 * Asserts the error envelope: HTTP status, the stable app code and, for field errors, that the
 * field is named in the issues and the message starts with `<field>: `.
 */
export async function expectApiError(res: Response, status: number, appCode: string, field?: string): Promise<ErrorBody> {
  const body = await expectStatus<ErrorBody>(res, status);
  expect(body.data).toMatchObject({ appCode, httpStatus: status });
  expect(typeof body.code).toBe("string");
  expect(typeof body.message).toBe("string");
  expect(body.data.stack).toBeUndefined();
  if (field !== undefined) {
    if (appCode === "VALIDATION_FAILED") {
      expect(body.data.issues?.map((i) => i.field)).toContain(field);
    }
    expect(body.message).toContain(`${field}: `);
    if (body.data.issues === undefined || body.data.issues.length === 1) {
      expect(body.message.startsWith(`${field}: `)).toBe(true);
    }
  }
  return body;
}

/**
 * Distinct, valid Swiss mobile numbers (`+41 79 555 BB NN`), one block per test file so numbers
 * never collide across suites. Limits are per phone, so every test takes fresh ones.
 */
export function phoneNumbers(block: number): () => string {
  if (!Number.isInteger(block) || block < 0 || block > 99) throw new RangeError("block must be 0..99");
  let next = 1;
  return () => {
    if (next > 99) throw new Error(`phone block ${block} is used up`);
    const phone = `+4179555${String(block).padStart(2, "0")}${String(next).padStart(2, "0")}`;
    next += 1;
    return phone;
  };
}

/** A password that passes the policy (long, not on the common list). */
export const strongPassword = "violet-tractor-umbrella-91";

export async function registerByEmail(
  server: { url: string },
  input: { email?: string; password?: string; displayName?: string } = {},
): Promise<SignedIn & { password: string }> {
  const email = input.email ?? uniqueEmail();
  const password = input.password ?? strongPassword;
  const res = await restClient(server).post("/auth/email/register", {
    email,
    password,
    ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
  });
  const signedIn = await expectStatus<SignedIn>(res, 201);
  return { ...signedIn, password };
}

export async function signInByEmail(server: { url: string }, email: string, password: string): Promise<SignedIn> {
  const res = await restClient(server).post("/auth/email/sign-in", { email, password });
  return expectStatus<SignedIn>(res, 200);
}

/** Requests a sign-in code for `phone` (one code request) and verifies the code Twilio got. */
export async function signInByPhone(server: { url: string }, twilio: FakeTwilio, phone: string): Promise<SignedIn> {
  const rest = restClient(server);
  await expectStatus(await rest.post("/auth/phone/request-code", { phone }), 200);
  const code = twilio.lastCodeFor(phone);
  return expectStatus<SignedIn>(await rest.post("/auth/phone/verify-code", { phone, code }), 200);
}

/** The seeded platform admin; the server must run with `SEED_ADMIN_PASSWORD=password`. */
export const seededAdminEmail = "admin@tenantry.local";

export function signInAsAdmin(server: { url: string }, password: string): Promise<SignedIn> {
  return signInByEmail(server, seededAdminEmail, password);
}

/** A 6-digit code that is certainly not `code`. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}
