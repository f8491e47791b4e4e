import { purgeExpiredRecords } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "./support/sign-up.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

describe.each(testBackends())("purging expired auth records on $name", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("deletes expired codes and long-ended sessions, and keeps everything still usable", async () => {
    const db = server.db.prisma;
    const now = new Date();
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600 * 1000);
    await db.oneTimeCode.createMany({
      data: [
        { purpose: "sign_in", target: "+41795559001", codeHash: "x", expiresAt: hoursAgo(1) },
        { purpose: "sign_in", target: "+41795559002", codeHash: "x", expiresAt: new Date(now.getTime() + 60_000) },
      ],
    });
    const live = await signUp(server.url);
    const revokedLongAgo = await signUp(server.url);
    const revokedJustNow = await signUp(server.url);
    const expired = await signUp(server.url);
    await db.session.update({ where: { id: revokedLongAgo.sessionId }, data: { revokedAt: hoursAgo(25) } });
    await db.session.update({ where: { id: revokedJustNow.sessionId }, data: { revokedAt: hoursAgo(1) } });
    await db.session.update({ where: { id: expired.sessionId }, data: { expiresAt: hoursAgo(25) } });

    const purged = await purgeExpiredRecords(db, now, { auditRetentionDays: null });
    expect(purged).toEqual({ codes: 1, sessions: 2, auditEvents: 0 });

    expect(
      (await db.oneTimeCode.findMany({ where: { target: { in: ["+41795559001", "+41795559002"] } } })).map((c) => c.target),
    ).toEqual(["+41795559002"]);
    const left = await db.session.findMany({
      where: { id: { in: [live.sessionId, revokedLongAgo.sessionId, revokedJustNow.sessionId, expired.sessionId] } },
    });
    expect(left.map((s) => s.id).sort()).toEqual([live.sessionId, revokedJustNow.sessionId].sort());
    // Refresh tokens went with their sessions.
    expect(await db.refreshToken.count({ where: { sessionId: { in: [revokedLongAgo.sessionId, expired.sessionId] } } })).toBe(0);
  });
});
