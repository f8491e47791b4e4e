import { getContent, listContent } from "./content.ts";
import { publicProcedure, router, restRoutes } from "@tenantry/api-core";
import { contentEntrySchema, contentPageSchema, getContentInput, listContentInput } from "./content.schemas.ts";

const rest = restRoutes("platform");

export const contentRouter = router({
  get: publicProcedure
    .meta(
      rest({
        method: "GET",
        path: "/platform/content/{key}",
        errors: { 404: ["CONTENT_NOT_FOUND"] },
        protect: false,
        summary: "Get a content entry",
        description:
          "Published platform content by key, in the requested `locale` (without one: the request's Accept-Language) or " +
          "the best fallback (language, then platform default).",
      }),
    )
    .input(getContentInput)
    .output(contentEntrySchema)
    .query(({ ctx, input }) => getContent(ctx, input)),

  list: publicProcedure
    .meta(
      rest({
        method: "GET",
        path: "/platform/content",
        protect: false,
        summary: "List content entries",
        description:
          "Published platform content in a `locale` (without one: the request's Accept-Language), each key in the best " +
          "fallback, ordered by key, with cursor pagination.",
      }),
    )
    .input(listContentInput)
    .output(contentPageSchema)
    .query(({ ctx, input }) => listContent(ctx, input)),
});
