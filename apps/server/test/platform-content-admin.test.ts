import { randomUUID } from "node:crypto";
import type { RouterOutputs } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAsAdmin } from "./support/accounts.ts";
import { adminSuite } from "./support/admin-suite.ts";
import { expectApiError, expectStatus, register, seedAdminPassword, tenantClient } from "./support/tenants.ts";
import { testBackends, type TestServer } from "./support/test-server.ts";
import { startTwoInstances, type TwoInstances } from "./support/two-instances.ts";

type Entry = RouterOutputs["admin"]["content"]["get"];
type EntryPage = RouterOutputs["admin"]["content"]["list"];
type VersionPage = RouterOutputs["admin"]["content"]["versions"];
type Served = RouterOutputs["platform"]["content"]["get"];
type AuditPage = RouterOutputs["admin"]["auditEvents"];

const uniqueKey = () => `test.${randomUUID().slice(0, 8)}`;

/**
 * Platform content as its operators write it: drafts, publishing, versions and restore, every
 * change audited; the public read serves only what is published, and a publish shows at once
 * even though the public read is cached.
 */
describe.each(testBackends())("platform content management on $name", (backend) => {
  const suite = adminSuite(backend);
  const asAdmin = () => suite.asAdmin();
  const served = (key: string, locale = "en") => suite.api.get(`/platform/content/${key}?locale=${locale}`);

  it("seeds every entry in English and Russian, published", async () => {
    for (const key of ["home.welcome", "legal.terms", "legal.privacy"]) {
      const ru = await expectStatus<Served>(await served(key, "ru"), 200);
      expect(ru).toMatchObject({ key, locale: "ru", fallback: false });
      expect(ru.title).toMatch(/[а-я]/);
      expect(await expectStatus<Served>(await served(key, "en"), 200)).toMatchObject({ locale: "en", fallback: false });
    }
    const seeded = await expectStatus<Entry>(await suite.api.get("/admin/content/legal.terms/ru", asAdmin()), 200);
    expect(seeded).toMatchObject({ version: 1, hasUnpublishedChanges: false, published: { version: 1 } });
  });

  it("keeps a draft off the public read until it is published, then serves it at once", async () => {
    const key = uniqueKey();
    const created = await expectStatus<Entry>(
      await suite.api.post(
        "/admin/content",
        { key, locale: "en", title: "Draft title", body: "# Hello\n\nFirst draft." },
        asAdmin(),
      ),
      201,
    );
    expect(created).toMatchObject({ key, locale: "en", version: 1, published: null, hasUnpublishedChanges: true });
    await expectApiError(await served(key), 404, "CONTENT_NOT_FOUND");

    const published = await expectStatus<Entry>(await suite.api.post(`/admin/content/${key}/en/publish`, {}, asAdmin()), 200);
    expect(published).toMatchObject({
      version: 1,
      hasUnpublishedChanges: false,
      published: { version: 1, title: "Draft title" },
    });
    expect(await expectStatus<Served>(await served(key), 200)).toMatchObject({
      title: "Draft title",
      body: "# Hello\n\nFirst draft.",
    });

    // An edit is a new draft: the public read (cached by now) still serves version 1.
    const edited = await expectStatus<Entry>(
      await suite.api.patch(`/admin/content/${key}/en`, { body: "Second draft.", expectedVersion: 1 }, asAdmin()),
      200,
    );
    expect(edited).toMatchObject({ version: 2, title: "Draft title", body: "Second draft.", hasUnpublishedChanges: true });
    expect(edited.published).toMatchObject({ version: 1, body: "# Hello\n\nFirst draft." });
    expect(await expectStatus<Served>(await served(key), 200)).toMatchObject({ body: "# Hello\n\nFirst draft." });

    await expectStatus(await suite.api.post(`/admin/content/${key}/en/publish`, {}, asAdmin()), 200);
    expect(await expectStatus<Served>(await served(key), 200)).toMatchObject({ body: "Second draft." });
    const list = await expectStatus<RouterOutputs["platform"]["content"]["list"]>(
      await suite.api.get(`/platform/content?prefix=${key}`),
      200,
    );
    expect(list).toMatchObject({ items: [{ key, body: "Second draft." }] });
  });

  it("keeps every version with its author, and restores an old one as the newest", async () => {
    const key = uniqueKey();
    await expectStatus(
      await suite.api.post("/admin/content", { key, locale: "ru", title: "Первый", body: "Один", publish: true }, asAdmin()),
      201,
    );
    await expectStatus(
      await suite.api.patch(`/admin/content/${key}/ru`, { title: "Второй", body: "Два", publish: true }, asAdmin()),
      200,
    );
    await expectStatus(await suite.api.patch(`/admin/content/${key}/ru`, { body: "Три" }, asAdmin()), 200);

    const history = await expectStatus<VersionPage>(await suite.api.get(`/admin/content/${key}/ru/versions`, asAdmin()), 200);
    expect(history.items.map((v) => [v.version, v.title, v.body, v.published])).toEqual([
      [3, "Второй", "Три", false],
      [2, "Второй", "Два", true],
      [1, "Первый", "Один", false],
    ]);
    expect(history.items[0]!.author).toMatchObject({ id: suite.admin.id });
    const firstPage = await expectStatus<VersionPage>(
      await suite.api.get(`/admin/content/${key}/ru/versions?limit=2`, asAdmin()),
      200,
    );
    const secondPage = await expectStatus<VersionPage>(
      await suite.api.get(`/admin/content/${key}/ru/versions?limit=2&cursor=${firstPage.nextCursor}`, asAdmin()),
      200,
    );
    expect(secondPage).toMatchObject({ items: [{ version: 1 }], nextCursor: null });

    const restored = await expectStatus<Entry>(
      await suite.api.post(`/admin/content/${key}/ru/versions/1/restore`, { publish: true }, asAdmin()),
      200,
    );
    expect(restored).toMatchObject({
      version: 4,
      title: "Первый",
      body: "Один",
      published: { version: 4 },
      hasUnpublishedChanges: false,
    });
    expect(await expectStatus<Served>(await served(key, "ru"), 200)).toMatchObject({ title: "Первый", body: "Один" });
    await expectApiError(
      await suite.api.post(`/admin/content/${key}/ru/versions/9/restore`, {}, asAdmin()),
      404,
      "CONTENT_VERSION_NOT_FOUND",
      "version",
    );
  });

  it("unpublishes (readers get the fallback) and deletes, every change in the audit log", async () => {
    const key = uniqueKey();
    await expectStatus(
      await suite.api.post("/admin/content", { key, locale: "en", title: "English", body: "Text", publish: true }, asAdmin()),
      201,
    );
    await expectStatus(
      await suite.api.post("/admin/content", { key, locale: "ru", title: "Русский", body: "Текст", publish: true }, asAdmin()),
      201,
    );
    expect(await expectStatus<Served>(await served(key, "ru"), 200)).toMatchObject({ locale: "ru" });

    const unpublished = await expectStatus<Entry>(await suite.api.post(`/admin/content/${key}/ru/unpublish`, {}, asAdmin()), 200);
    expect(unpublished).toMatchObject({ published: null, title: "Русский", hasUnpublishedChanges: true });
    expect(await expectStatus<Served>(await served(key, "ru"), 200)).toMatchObject({ locale: "en", fallback: true });
    const drafts = await expectStatus<EntryPage>(
      await suite.api.get(`/admin/content?prefix=${key}&state=unpublished`, asAdmin()),
      200,
    );
    expect(drafts.items.map((e) => e.locale)).toEqual(["ru"]);

    expect(await expectStatus(await suite.api.delete(`/admin/content/${key}/en`, asAdmin()), 200)).toEqual({ deleted: true });
    await expectApiError(await served(key, "ru"), 404, "CONTENT_NOT_FOUND");
    await expectApiError(await suite.api.get(`/admin/content/${key}/en`, asAdmin()), 404, "CONTENT_NOT_FOUND");

    const events = await expectStatus<AuditPage>(
      await suite.api.get("/admin/audit-events?action=content.&platformOnly=true&limit=100", asAdmin()),
      200,
    );
    const mine = events.items.filter((e) => (e.details as { key?: string }).key === key);
    expect(mine.map((e) => e.action).sort()).toEqual(
      ["content.created", "content.created", "content.unpublished", "content.deleted"].sort(),
    );
    expect(mine.every((e) => e.actorId === suite.admin.id)).toBe(true);
  });

  it("refuses a stale save, a duplicate, and bad input with the field named", async () => {
    const key = uniqueKey();
    await expectStatus(
      await suite.api.post("/admin/content", { key, locale: "de-ch", title: "Titel", body: "Text" }, asAdmin()),
      201,
    );
    // The locale is stored canonical; either spelling names the entry.
    expect(await expectStatus<Entry>(await suite.api.get(`/admin/content/${key}/de-CH`, asAdmin()), 200)).toMatchObject({
      locale: "de-CH",
    });
    await expectApiError(
      await suite.api.post("/admin/content", { key, locale: "de-CH", title: "Again", body: "Text" }, asAdmin()),
      409,
      "CONTENT_EXISTS",
      "key",
    );

    // Two editors saving over the same version: one wins, the other is told to reload.
    const saves = await Promise.all(
      ["A", "B"].map((who) =>
        suite.api.patch(`/admin/content/${key}/de-CH`, { body: `Edit ${who}`, expectedVersion: 1 }, asAdmin()),
      ),
    );
    expect(saves.map((r) => r.status).sort()).toEqual([200, 409]);
    await expectApiError(
      saves.find((r) => r.status === 409)!,
      409,
      "CONTENT_VERSION_CONFLICT",
      "expectedVersion",
    );

    const bad: Array<[string, unknown, string]> = [
      ["/admin/content", { key: "Not A Key", locale: "en", title: "t", body: "b" }, "key"],
      ["/admin/content", { key, locale: "not_a_locale!", title: "t", body: "b" }, "locale"],
      // A well-formed tag with a five-letter language: valid BCP 47, not a language anyone writes in.
      ["/admin/content", { key, locale: "OWNER", title: "t", body: "b" }, "locale"],
      ["/admin/content", { key: uniqueKey(), locale: "en", title: "   ", body: "b" }, "title"],
      ["/admin/content", { key: uniqueKey(), locale: "en", title: "t", body: "a\u0000b" }, "body"],
      ["/admin/content", { key: uniqueKey(), locale: "en", title: "t", body: "x".repeat(100_001) }, "body"],
      ["/admin/content", { key: uniqueKey(), locale: "en", title: "t", body: "b", publish: "yes" }, "publish"],
    ];
    for (const [path, body, field] of bad) {
      await expectApiError(await suite.api.post(path, body, asAdmin()), 400, "VALIDATION_FAILED", field);
    }
    await expectApiError(await suite.api.patch(`/admin/content/${key}/de-CH`, {}, asAdmin()), 400, "VALIDATION_FAILED", "body");
    await expectApiError(await suite.api.get("/admin/content?cursor=bm9wZQ", asAdmin()), 400, "INVALID_CURSOR", "cursor");
    await expectApiError(
      await suite.api.get(`/admin/content/${key}/de-CH/versions?cursor=0`, asAdmin()),
      400,
      "INVALID_CURSOR",
      "cursor",
    );
    await expectApiError(
      await suite.api.patch(`/admin/content/${uniqueKey()}/en`, { body: "b" }, asAdmin()),
      404,
      "CONTENT_NOT_FOUND",
      "key",
    );
  });

  it("is for platform admins only", async () => {
    const user = await register(suite.server);
    await expectApiError(await suite.api.get("/admin/content", { token: user.accessToken }), 403, "PLATFORM_ADMIN_ONLY");
    await expectApiError(
      await suite.api.post(
        "/admin/content",
        { key: uniqueKey(), locale: "en", title: "t", body: "b" },
        { token: user.accessToken },
      ),
      403,
      "PLATFORM_ADMIN_ONLY",
    );
    await expectApiError(await suite.api.post("/admin/content/legal.terms/en/unpublish", {}), 401, "UNAUTHENTICATED");
    expect(await expectStatus<Served>(await served("legal.terms"), 200)).toMatchObject({ key: "legal.terms" });
  });
});

const postgres = testBackends().find((b) => b.name === "postgres");

// Both instances cache content reads for ten minutes: only the invalidation over Redis explains
// a publish seen at once on the other.
describe.runIf(postgres)("published content across instances (PostgreSQL + Redis)", () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    instances = await startTwoInstances(postgres!, { CONTENT_CACHE_TTL_MS: "600000" });
    ({ a, b } = instances);
  });
  afterAll(async () => {
    await instances?.stop();
  });

  it("a publish, an unpublish and a delete on one instance are served by the other at once", async () => {
    const admin = await signInAsAdmin(a, seedAdminPassword);
    const onA = tenantClient(a);
    const onB = tenantClient(b);
    const as = { token: admin.accessToken };
    const key = uniqueKey();
    const titleOnB = async () => {
      const res = await onB.get(`/platform/content/${key}?locale=en`);
      return res.status === 200 ? ((await res.json()) as Served).title : res.status;
    };

    await expectStatus(await onA.post("/admin/content", { key, locale: "en", title: "One", body: "b", publish: true }, as), 201);
    expect(await titleOnB()).toBe("One");
    await expectStatus(await onA.patch(`/admin/content/${key}/en`, { title: "Two", publish: true }, as), 200);
    await expect.poll(titleOnB, { timeout: 2_000 }).toBe("Two");
    await expectStatus(await onA.post(`/admin/content/${key}/en/unpublish`, {}, as), 200);
    await expect.poll(titleOnB, { timeout: 2_000 }).toBe(404);
    await expectStatus(await onA.post(`/admin/content/${key}/en/publish`, {}, as), 200);
    await expect.poll(titleOnB, { timeout: 2_000 }).toBe("Two");
    await expectStatus(await onA.delete(`/admin/content/${key}/en`, as), 200);
    await expect.poll(titleOnB, { timeout: 2_000 }).toBe(404);
  });
});
