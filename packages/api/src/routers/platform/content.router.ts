import { getContent, listContent } from "../../services/platform-content.ts";
import { publicProcedure, router } from "@tenantry/api-core";
import {
  contentEntrySchema,
  contentPageSchema,
  getContentInput,
  listContentInput,
} from "./content.schemas.ts";

const tags = ["platform"];

export const contentRouter = router({
  get: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/platform/content/{key}",
        tags,
        protect: false,
        summary: "Get a content entry",
        description:
          "Published platform content by key, in the requested locale or the best fallback (language, then platform default).",
      },
    })
    .input(getContentInput)
    .output(contentEntrySchema)
    .query(({ ctx, input }) =>
      getContent(ctx.db, {
        key: input.key,
        locale: input.locale ?? ctx.settings.defaultLocale,
        defaultLocale: ctx.settings.defaultLocale,
      }),
    ),

  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/platform/content",
        tags,
        protect: false,
        summary: "List content entries",
        description: "Published platform content in a locale, ordered by key, with cursor pagination.",
      },
    })
    .input(listContentInput)
    .output(contentPageSchema)
    .query(({ ctx, input }) =>
      listContent(ctx.db, {
        ...input,
        locale: input.locale ?? ctx.settings.defaultLocale,
        defaultLocale: ctx.settings.defaultLocale,
      }),
    ),
});
