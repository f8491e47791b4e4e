import { ConflictError, NotFoundError, type Actor, type Context } from "@tenantry/api-core";
import type { TenantDb } from "@tenantry/db";
import { auditAdminChange } from "../audit/audit-trail.ts";
import { toAdminEntry, type AdminContentEntry, type ContentRow } from "./content-admin-view.ts";

/**
 * Platform admins' writes to content. Every save is a new numbered version (the history is
 * append-only), and the entry's working copy is the latest one; publishing copies a version into
 * the columns the public read serves, so a draft can be prepared and then published at once.
 * Each change is audited in its own transaction, and the public cache is emptied (on every
 * instance) after a change to what is published commits.
 */
export type EditingContext = Pick<Context, "db" | "auth" | "contentCache" | "ip" | "userAgent">;

export interface EntryRef {
  key: string;
  locale: string;
}

const contentNotFound = ({ key, locale }: EntryRef) =>
  new NotFoundError("CONTENT_NOT_FOUND", `key: no content "${key}" in locale "${locale}".`);

/** The entry's row, locked until the transaction ends: edits of one entry take turns. */
async function lockEntry(tx: TenantDb, ref: EntryRef): Promise<ContentRow> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`
    select id::text as id from platform_content where key = ${ref.key} and locale = ${ref.locale} for update`;
  const id = locked[0]?.id;
  if (!id) throw contentNotFound(ref);
  return tx.platformContent.findUniqueOrThrow({ where: { id } });
}

function audit(tx: TenantDb, ctx: EditingContext, admin: Actor, row: ContentRow, action: string, details: object = {}) {
  return auditAdminChange(tx, ctx, admin, null, {
    action: `content.${action}`,
    targetType: "content",
    targetId: row.id,
    details: { key: row.key, locale: row.locale, ...details },
  });
}

const publishedCopy = (text: { title: string; body: string }, version: number, now: Date) => ({
  publishedVersion: version,
  publishedTitle: text.title,
  publishedBody: text.body,
  publishedAt: now,
});

const transactionLimits = { maxWait: 10_000, timeout: 30_000 };

/** Runs `change`; empties the public cache after it commits if it changed what is published. */
async function change(
  ctx: EditingContext,
  work: (tx: TenantDb) => Promise<{ row: ContentRow; publishedChanged: boolean }>,
): Promise<AdminContentEntry> {
  const { row, publishedChanged } = await ctx.db.$transaction(work, transactionLimits);
  if (publishedChanged) ctx.contentCache.invalidate();
  return toAdminEntry(row);
}

export function createContent(
  ctx: EditingContext,
  admin: Actor,
  input: EntryRef & { title: string; body: string; publish: boolean },
): Promise<AdminContentEntry> {
  return change(ctx, async (tx) => {
    const now = ctx.auth.now();
    // ON CONFLICT DO NOTHING, not a check first: two admins creating one key at once get one row and one 409.
    const inserted = await tx.$queryRaw<Array<{ id: string }>>`
      insert into platform_content (id, key, locale, title, body, version, updated_at)
      values (gen_random_uuid(), ${input.key}, ${input.locale}, ${input.title}, ${input.body}, 1, ${now})
      on conflict (key, locale) do nothing
      returning id::text as id`;
    const id = inserted[0]?.id;
    if (!id) {
      throw new ConflictError(
        "CONTENT_EXISTS",
        `key: "${input.key}" already exists in locale "${input.locale}"; edit it instead.`,
      );
    }
    await tx.platformContentVersion.create({
      data: { contentId: id, version: 1, title: input.title, body: input.body, authorId: admin.userId },
    });
    const row = input.publish
      ? await tx.platformContent.update({ where: { id }, data: publishedCopy(input, 1, now) })
      : await tx.platformContent.findUniqueOrThrow({ where: { id } });
    await audit(tx, ctx, admin, row, "created", { version: 1, published: input.publish });
    return { row, publishedChanged: input.publish };
  });
}

/**
 * Saves a new version of the working copy (fields left out stay as they are). With
 * `expectedVersion`, refuses (409 CONTENT_VERSION_CONFLICT) if someone saved since it was read.
 */
export function updateContent(
  ctx: EditingContext,
  admin: Actor,
  input: EntryRef & {
    title?: string | undefined;
    body?: string | undefined;
    expectedVersion?: number | undefined;
    publish: boolean;
  },
): Promise<AdminContentEntry> {
  return change(ctx, async (tx) => {
    const current = await lockEntry(tx, input);
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      throw new ConflictError(
        "CONTENT_VERSION_CONFLICT",
        `expectedVersion: the entry is at version ${current.version}; reload it and apply your edit again.`,
      );
    }
    const text = { title: input.title ?? current.title, body: input.body ?? current.body };
    return saveVersion(tx, ctx, admin, current, text, input.publish, "updated", {});
  });
}

/** Saves the text of an earlier version as the newest one (the history keeps both). */
export function restoreContentVersion(
  ctx: EditingContext,
  admin: Actor,
  input: EntryRef & { version: number; publish: boolean },
): Promise<AdminContentEntry> {
  return change(ctx, async (tx) => {
    const current = await lockEntry(tx, input);
    const old = await tx.platformContentVersion.findUnique({
      where: { contentId_version: { contentId: current.id, version: input.version } },
    });
    if (!old) throw new NotFoundError("CONTENT_VERSION_NOT_FOUND", `version: "${input.key}" has no version ${input.version}.`);
    const text = { title: old.title, body: old.body };
    return saveVersion(tx, ctx, admin, current, text, input.publish, "restored", { from: input.version });
  });
}

async function saveVersion(
  tx: TenantDb,
  ctx: EditingContext,
  admin: Actor,
  current: ContentRow,
  text: { title: string; body: string },
  publish: boolean,
  action: "updated" | "restored",
  details: object,
) {
  const version = current.version + 1;
  await tx.platformContentVersion.create({
    data: { contentId: current.id, version, title: text.title, body: text.body, authorId: admin.userId },
  });
  const row = await tx.platformContent.update({
    where: { id: current.id },
    data: { ...text, version, ...(publish ? publishedCopy(text, version, ctx.auth.now()) : {}) },
  });
  await audit(tx, ctx, admin, row, action, { ...details, version, published: publish });
  return { row, publishedChanged: publish };
}

/** Publishes the working copy (the latest version). Publishing what is already published changes nothing. */
export function publishContent(ctx: EditingContext, admin: Actor, ref: EntryRef): Promise<AdminContentEntry> {
  return change(ctx, async (tx) => {
    const current = await lockEntry(tx, ref);
    if (current.publishedVersion === current.version) return { row: current, publishedChanged: false };
    const row = await tx.platformContent.update({
      where: { id: current.id },
      data: publishedCopy(current, current.version, ctx.auth.now()),
    });
    await audit(tx, ctx, admin, row, "published", { version: row.version });
    return { row, publishedChanged: true };
  });
}

/** Takes the entry off the public read; the working copy and the history stay. */
export function unpublishContent(ctx: EditingContext, admin: Actor, ref: EntryRef): Promise<AdminContentEntry> {
  return change(ctx, async (tx) => {
    const current = await lockEntry(tx, ref);
    if (current.publishedVersion === null) return { row: current, publishedChanged: false };
    const row = await tx.platformContent.update({
      where: { id: current.id },
      data: { publishedVersion: null, publishedTitle: null, publishedBody: null, publishedAt: null },
    });
    await audit(tx, ctx, admin, row, "unpublished", { version: current.publishedVersion });
    return { row, publishedChanged: true };
  });
}

/** Deletes the entry and its history. The audit log keeps that it existed and who deleted it. */
export async function deleteContent(ctx: EditingContext, admin: Actor, ref: EntryRef): Promise<{ deleted: true }> {
  const wasPublished = await ctx.db.$transaction(async (tx) => {
    const current = await lockEntry(tx, ref);
    await tx.platformContent.delete({ where: { id: current.id } });
    await audit(tx, ctx, admin, current, "deleted", { versions: current.version });
    return current.publishedVersion !== null;
  }, transactionLimits);
  if (wasPublished) ctx.contentCache.invalidate();
  return { deleted: true };
}
