import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectApiError,
  expectStatus,
  registerByEmail,
  restClient,
  signInAsAdmin,
  type RestClient,
  type SignedIn,
} from "./support/accounts.ts";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "./support/fake-twilio.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

interface BlockedPhone {
  id: string;
  value: string;
  isPrefix: boolean;
  reason: string | null;
  createdAt: string;
}

const adminPassword = "correct-horse-battery-staple-42";

describe.each(testBackends())("blocked phones on $name", (backend) => {
  let twilio: FakeTwilio;
  let server: TestServer;
  let rest: RestClient;
  let admin: SignedIn;
  let codeRequests = 0;
  const requestCode = (phone: string) => {
    codeRequests += 1;
    return rest.post("/auth/phone/request-code", { phone });
  };
  const block = (body: unknown) => rest.post("/admin/blocked-phones", body, admin.accessToken);
  const sentTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).length;

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer(backend, { ...twilioEnv(twilio), SEED_ADMIN_PASSWORD: adminPassword });
    rest = restClient(server);
    admin = await signInAsAdmin(server, adminPassword);
  });
  afterAll(async () => {
    // The per-IP budget is 20 code requests per 10 minutes on one server.
    expect(codeRequests).toBeLessThan(20);
    await server?.stop();
    await twilio?.close();
  });

  it("signs the seeded admin in as a platform admin", () => {
    expect(admin.user).toMatchObject({ email: "admin@tenantry.local", platformRole: "admin", hasPassword: true });
  });

  it("refuses callers without a token", async () => {
    await expectApiError(await rest.get("/admin/blocked-phones"), 401, "UNAUTHENTICATED");
    await expectApiError(await rest.post("/admin/blocked-phones", { value: "+41795550390" }), 401, "UNAUTHENTICATED");
    await expectApiError(await rest.delete(`/admin/blocked-phones/${randomUUID()}`), 401, "UNAUTHENTICATED");
    expect(await server.db.prisma.blockedPhone.count({ where: { value: "+41795550390" } })).toBe(0);
  });

  it("refuses signed-in users who are not platform admins, reading the role from the database", async () => {
    const user = await registerByEmail(server);
    const existing = await expectStatus<BlockedPhone>(await block({ value: "+41795550391" }), 201);

    await expectApiError(await rest.get("/admin/blocked-phones", user.accessToken), 403, "PLATFORM_ADMIN_ONLY");
    await expectApiError(
      await rest.post("/admin/blocked-phones", { value: "+41795550392" }, user.accessToken),
      403,
      "PLATFORM_ADMIN_ONLY",
    );
    await expectApiError(await rest.delete(`/admin/blocked-phones/${existing.id}`, user.accessToken), 403, "PLATFORM_ADMIN_ONLY");
    expect(await server.db.prisma.blockedPhone.count({ where: { value: { in: ["+41795550391", "+41795550392"] } } })).toBe(1);

    // A demoted admin loses access with the token they already hold…
    await server.db.prisma.user.update({ where: { id: admin.user.id }, data: { platformRole: "user" } });
    try {
      await expectApiError(await rest.get("/admin/blocked-phones", admin.accessToken), 403, "PLATFORM_ADMIN_ONLY");
    } finally {
      await server.db.prisma.user.update({ where: { id: admin.user.id }, data: { platformRole: "admin" } });
    }
    // …and a promoted user gains it without signing in again.
    await server.db.prisma.user.update({ where: { id: user.user.id }, data: { platformRole: "admin" } });
    expect((await rest.get("/admin/blocked-phones", user.accessToken)).status).toBe(200);
  });

  it("blocks an exact number: codes are refused and nothing is sent", async () => {
    const entry = await expectStatus<BlockedPhone>(
      await block({ value: " +41 79 555 03 01 ", reason: "  reported as abusive  " }),
      201,
    );
    expect(entry).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      value: "+41795550301",
      isPrefix: false,
      reason: "reported as abusive",
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const row = await server.db.prisma.blockedPhone.findUniqueOrThrow({ where: { id: entry.id } });
    expect(row.createdById).toBe(admin.user.id);

    const before = twilio.messages.length;
    for (const written of ["+41795550301", "0041 79 555 03 01"]) {
      const refused = await expectApiError(await requestCode(written), 403, "PHONE_BLOCKED", "phone");
      expect(refused.code).toBe("FORBIDDEN");
    }
    expect(twilio.messages.length).toBe(before);
    expect(await server.db.prisma.oneTimeCode.count({ where: { target: "+41795550301" } })).toBe(0);

    // The number next to it is not affected.
    expect((await requestCode("+41795550302")).status).toBe(200);
    expect(sentTo("+41795550302")).toBe(1);

    // Nor can a signed-in user move their account to the blocked number.
    const user = await registerByEmail(server);
    await expectApiError(
      await rest.post("/account/phone/request-code", { phone: "+41795550301" }, user.accessToken),
      403,
      "PHONE_BLOCKED",
    );
    codeRequests += 1;
    expect(twilio.messages.length).toBe(before + 1);
  });

  it("blocks a prefix: every number under it is refused", async () => {
    const entry = await expectStatus<BlockedPhone>(await block({ value: "+4490", isPrefix: true, reason: "premium rate" }), 201);
    expect(entry).toMatchObject({ value: "+4490", isPrefix: true, reason: "premium rate" });

    const before = twilio.messages.length;
    await expectApiError(await requestCode("+44 909 879 0123"), 403, "PHONE_BLOCKED");
    await expectApiError(await requestCode("+449012345678"), 403, "PHONE_BLOCKED");
    expect(twilio.messages.length).toBe(before);

    // A UK mobile number shares +44 but not +4490.
    expect((await requestCode("+447400123456")).status).toBe(200);
    expect(sentTo("+447400123456")).toBe(1);
  });

  it("unblocks: the number gets codes again at once, and a second removal is 404", async () => {
    const phone = "+41795550310";
    const entry = await expectStatus<BlockedPhone>(await block({ value: phone }), 201);
    await expectApiError(await requestCode(phone), 403, "PHONE_BLOCKED");

    expect(await expectStatus(await rest.delete(`/admin/blocked-phones/${entry.id}`, admin.accessToken), 200)).toEqual({
      removed: true,
    });
    expect(await server.db.prisma.blockedPhone.count({ where: { id: entry.id } })).toBe(0);

    // The refused request did not use the number's one-a-minute quota.
    expect((await requestCode(phone)).status).toBe(200);
    const signedIn = await expectStatus<SignedIn>(
      await rest.post("/auth/phone/verify-code", { phone, code: twilio.lastCodeFor(phone) }),
      200,
    );
    expect(signedIn.user.phone).toBe(phone);

    const again = await expectApiError(
      await rest.delete(`/admin/blocked-phones/${entry.id}`, admin.accessToken),
      404,
      "BLOCKED_PHONE_NOT_FOUND",
    );
    expect(again.code).toBe("NOT_FOUND");
    await expectApiError(
      await rest.delete(`/admin/blocked-phones/${randomUUID()}`, admin.accessToken),
      404,
      "BLOCKED_PHONE_NOT_FOUND",
    );
    await expectApiError(
      await rest.delete("/admin/blocked-phones/not-a-uuid", admin.accessToken),
      400,
      "VALIDATION_FAILED",
      "id",
    );
  });

  it("refuses a duplicate, however it is written", async () => {
    await expectStatus(await block({ value: "+41795550320" }), 201);
    await expectStatus(await block({ value: "+4191", isPrefix: true }), 201);
    for (const body of [
      { value: "+41795550320" },
      { value: "0041 79 555 03 20" },
      { value: "+41795550320", isPrefix: true },
      { value: "+4191", isPrefix: true },
    ]) {
      const refused = await expectApiError(await block(body), 400, "ALREADY_BLOCKED", "value");
      expect({ body, message: refused.message }).toMatchObject({ message: expect.stringContaining("already blocked") });
    }
    expect(await server.db.prisma.blockedPhone.count({ where: { value: { in: ["+41795550320", "+4191"] } } })).toBe(2);
  });

  it.each([
    ["letters", { value: "call-me" }],
    ["an unassigned number", { value: "+41 99 123 45 67" }],
    ["a prefix without isPrefix", { value: "+4490" }],
    ["an empty value", { value: "" }],
    ["a prefix without +", { value: "4490", isPrefix: true }],
    ["a bare +", { value: "+", isPrefix: true }],
    ["a prefix with spaces", { value: "+44 90", isPrefix: true }],
    ["a prefix of 15 digits", { value: "+123456789012345", isPrefix: true }],
    ["a missing value", { isPrefix: true }],
  ])("refuses %s with 400 on the value field", async (_label, body) => {
    const count = await server.db.prisma.blockedPhone.count();
    await expectApiError(await block(body), 400, "VALIDATION_FAILED", "value");
    expect(await server.db.prisma.blockedPhone.count()).toBe(count);
  });

  it("refuses an over-long reason with 400 on the reason field", async () => {
    await expectApiError(await block({ value: "+41795550330", reason: "x".repeat(201) }), 400, "VALIDATION_FAILED", "reason");
  });

  it("lists blocks by value, a page at a time", async () => {
    await expectStatus(await block({ value: "+41795550340" }), 201);
    await expectStatus(await block({ value: "+41795550341", reason: "fraud" }), 201);
    const all = await expectStatus<{ items: BlockedPhone[]; nextCursor: string | null }>(
      await rest.get("/admin/blocked-phones?limit=100", admin.accessToken),
      200,
    );
    const values = all.items.map((i) => i.value);
    expect(values).toEqual([...values].sort());
    expect(values).toEqual(expect.arrayContaining(["+41795550340", "+41795550341", "+4490"]));
    expect(all.items.find((i) => i.value === "+41795550341")).toMatchObject({ isPrefix: false, reason: "fraud" });
    expect(all.nextCursor).toBeNull();

    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await expectStatus<{ items: BlockedPhone[]; nextCursor: string | null }>(
        await rest.get(`/admin/blocked-phones${query}`, admin.accessToken),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((i) => i.value));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(paged).toEqual(values);
    expect(pages).toBe(Math.ceil(values.length / 2));

    for (const limit of ["0", "101", "abc"]) {
      await expectApiError(
        await rest.get(`/admin/blocked-phones?limit=${limit}`, admin.accessToken),
        400,
        "VALIDATION_FAILED",
        "limit",
      );
    }
  });
});
