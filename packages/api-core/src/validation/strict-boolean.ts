import { z } from "zod";

/**
 * A boolean for procedure INPUTS. trpc-to-openapi switches every `z.boolean()` in an input to
 * coercion (in request bodies too, and on the shared schema, so tRPC calls are affected), and
 * coercion makes the string "false" true. A union of the two literals is not coerced: only
 * JSON `true` and `false` pass.
 */
export const strictBoolean = () =>
  z.union([z.literal(true), z.literal(false)], { error: "must be true or false (a JSON boolean)" });

/**
 * A boolean for GET inputs, which REST sends as query strings: JSON `true`/`false` (tRPC) or the
 * strings "true"/"false" (REST). Anything else is refused, never guessed.
 */
export const queryBoolean = () =>
  z
    .union([z.literal(true), z.literal(false), z.literal("true"), z.literal("false")], {
      error: 'must be true or false ("true" or "false" in a query string)',
    })
    .transform((value) => value === true || value === "true");
