import { pageInput, pageOf, platformAdminProcedure, restRoutes, router, strictBoolean } from "@tenantry/api-core";
import { z } from "zod";
import { getContentEntry, listContentEntries, listContentVersions } from "./content-admin-view.ts";
import {
  createContent,
  deleteContent,
  publishContent,
  restoreContentVersion,
  unpublishContent,
  updateContent,
} from "./content-editing.ts";
import {
  adminContentEntrySchema,
  contentBodySchema,
  contentPrefixSchema,
  contentRefInput,
  contentTitleSchema,
  contentVersionSchema,
  localeSchema,
} from "./content.schemas.ts";

const rest = restRoutes("admin");

const publishFlag = strictBoolean()
  .default(false)
  .meta({ description: "Publish the saved version at once (the public read serves it from then on)." });

/**
 * Platform admins write platform content: drafts, publishing, version history. Every change is
 * in the audit log; the public read (`platform.content.get/list`) sees only what is published.
 */
export const adminContentRouter = router({
  list: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/content",
        protect: true,
        summary: "All content entries, drafts included",
        description:
          "Every entry in every locale, ordered by key then locale, with its working copy and what is published. " +
          "`state`: `published` (served), `unpublished` (not served), `changed` (the working copy is not what is served).",
      }),
    )
    .input(
      z.object({
        ...pageInput,
        limit: pageInput.limit.meta({ description: "Entries per page, 1–100, ordered by key then locale." }),
        prefix: contentPrefixSchema.optional(),
        locale: localeSchema.optional().meta({ description: "Only this locale (exactly, no fallback)." }),
        state: z.enum(["published", "unpublished", "changed"]).optional(),
      }),
    )
    .output(pageOf(adminContentEntrySchema))
    .query(({ ctx, input }) => listContentEntries(ctx, input)),

  get: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/content/{key}/{locale}",
        errors: { 404: ["CONTENT_NOT_FOUND"] },
        protect: true,
        summary: "One content entry, drafts included",
        description: "The working copy, its version number, and what is published.",
      }),
    )
    .input(contentRefInput)
    .output(adminContentEntrySchema)
    .query(({ ctx, input }) => getContentEntry(ctx, input)),

  create: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/content",
        created: true,
        errors: { 409: ["CONTENT_EXISTS"] },
        protect: true,
        summary: "Create a content entry",
        description:
          "Version 1 of a new entry (a key in one locale). Unpublished unless `publish` is true; another locale of " +
          "the same key is another entry.",
      }),
    )
    .input(contentRefInput.extend({ title: contentTitleSchema, body: contentBodySchema, publish: publishFlag }))
    .output(adminContentEntrySchema)
    .mutation(({ ctx, input }) => createContent(ctx, ctx.actor, input)),

  update: platformAdminProcedure
    .meta(
      rest({
        method: "PATCH",
        path: "/admin/content/{key}/{locale}",
        errors: { 404: ["CONTENT_NOT_FOUND"], 409: ["CONTENT_VERSION_CONFLICT"] },
        protect: true,
        summary: "Save a new version",
        description:
          "Saves the title and/or body as the next version (the working copy). What is published does not change " +
          "unless `publish` is true. Send the `version` you edited as `expectedVersion` to be refused (409) " +
          "instead of overwriting someone's save made meanwhile.",
      }),
    )
    .input(
      contentRefInput
        .extend({
          title: contentTitleSchema.optional(),
          body: contentBodySchema.optional(),
          expectedVersion: z.number().int().min(1).max(2_147_483_647).optional(),
          publish: publishFlag,
        })
        .refine((input) => input.title !== undefined || input.body !== undefined, {
          message: "give a title, a body or both",
          path: ["body"],
        }),
    )
    .output(adminContentEntrySchema)
    .mutation(({ ctx, input }) => updateContent(ctx, ctx.actor, input)),

  publish: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/content/{key}/{locale}/publish",
        errors: { 404: ["CONTENT_NOT_FOUND"] },
        protect: true,
        summary: "Publish the working copy",
        description: "The public read serves the latest version from now on, on every instance.",
      }),
    )
    .input(contentRefInput)
    .output(adminContentEntrySchema)
    .mutation(({ ctx, input }) => publishContent(ctx, ctx.actor, input)),

  unpublish: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/content/{key}/{locale}/unpublish",
        errors: { 404: ["CONTENT_NOT_FOUND"] },
        protect: true,
        summary: "Take an entry off the public read",
        description: "Readers get the locale fallback (or 404) instead. The working copy and the history stay.",
      }),
    )
    .input(contentRefInput)
    .output(adminContentEntrySchema)
    .mutation(({ ctx, input }) => unpublishContent(ctx, ctx.actor, input)),

  delete: platformAdminProcedure
    .meta(
      rest({
        method: "DELETE",
        path: "/admin/content/{key}/{locale}",
        errors: { 404: ["CONTENT_NOT_FOUND"] },
        protect: true,
        summary: "Delete a content entry",
        description: "The entry in this locale and its history. The audit log keeps who deleted it and when.",
      }),
    )
    .input(contentRefInput)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteContent(ctx, ctx.actor, input)),

  versions: platformAdminProcedure
    .meta(
      rest({
        method: "GET",
        path: "/admin/content/{key}/{locale}/versions",
        errors: { 404: ["CONTENT_NOT_FOUND"] },
        protect: true,
        summary: "An entry's version history",
        description: "Every saved version, newest first: its text, who saved it and when, and which one is published.",
      }),
    )
    .input(contentRefInput.extend(pageInput))
    .output(pageOf(contentVersionSchema))
    .query(({ ctx, input }) => listContentVersions(ctx, input)),

  restore: platformAdminProcedure
    .meta(
      rest({
        method: "POST",
        path: "/admin/content/{key}/{locale}/versions/{version}/restore",
        errors: { 404: ["CONTENT_NOT_FOUND", "CONTENT_VERSION_NOT_FOUND"] },
        protect: true,
        summary: "Restore an earlier version",
        description:
          "Saves that version's text as the newest version (the history keeps everything in between); published " +
          "at once if `publish` is true.",
      }),
    )
    .input(contentRefInput.extend({ version: z.coerce.number<number>().int().min(1).max(2_147_483_647), publish: publishFlag }))
    .output(adminContentEntrySchema)
    .mutation(({ ctx, input }) => restoreContentVersion(ctx, ctx.actor, input)),
});
