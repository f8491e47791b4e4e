import { ForeignKeyConstraintError, UniqueConstraintError, WriteConflictError } from "@tenantry/db";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ContentNotFoundError } from "./app-errors.ts";
import { type InputValidationError, toTRPCError } from "./to-trpc-error.ts";

const wrap = (cause: unknown, code: TRPCError["code"] = "INTERNAL_SERVER_ERROR") => new TRPCError({ code, cause });

describe("toTRPCError", () => {
  it("keeps a domain error's status and message", () => {
    const mapped = toTRPCError(wrap(new ContentNotFoundError("a.b", "en")));
    expect(mapped.code).toBe("NOT_FOUND");
    expect(mapped.message).toContain('"a.b"');
  });

  it("turns unique violations into conflicts and foreign keys into bad input", () => {
    expect(toTRPCError(wrap(new UniqueConstraintError(["slug"], "Tenant"))).code).toBe("CONFLICT");
    expect(toTRPCError(wrap(new ForeignKeyConstraintError("Subscription"))).code).toBe("BAD_REQUEST");
  });

  it("turns a lost deadlock into a conflict to retry, not an internal error", () => {
    const mapped = toTRPCError(wrap(new WriteConflictError("ShopOrder")));
    expect(mapped.code).toBe("CONFLICT");
    expect((mapped.cause as { code?: string }).code).toBe("WRITE_CONFLICT");
    expect(mapped.message).toMatch(/send the request again/);
  });

  it("names every invalid field in the message and the issues", () => {
    const parsed = z.object({ key: z.string(), items: z.array(z.number()) }).safeParse({ items: [1, "x"] });
    const mapped = toTRPCError(wrap(parsed.error, "BAD_REQUEST"));
    expect(mapped.code).toBe("BAD_REQUEST");
    expect(mapped.message).toMatch(/^key: .*; items\.1: /);
    expect((mapped.cause as InputValidationError).issues.map((i) => i.field)).toEqual(["key", "items.1"]);
  });

  it("leaves unknown errors internal", () => {
    const original = wrap(new Error("socket hang up"));
    expect(toTRPCError(original)).toBe(original);
  });
});
