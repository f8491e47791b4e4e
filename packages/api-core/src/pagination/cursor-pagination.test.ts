import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor-pagination.ts";

const id = "0b6f3c2e-8d1a-4f5e-9a7b-3c2d1e0f4a5b";
const forge = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("cursors", () => {
  it("round-trips what encodeCursor writes", () => {
    const at = new Date("2026-11-26T12:34:56.789Z");
    expect(decodeCursor(encodeCursor({ createdAt: at, id }))).toEqual({ createdAt: at, id });
  });

  it.each([
    ["not base64 of anything", "%%%"],
    ["no id", forge("2026-11-26T12:34:56.789Z")],
    ["an id that is not a UUID", forge("2026-11-26T12:34:56.789Z|42")],
    ["an extra part", forge(`2026-11-26T12:34:56.789Z|${id}|x`)],
    ["a date the database cannot hold (year 0)", forge(`0000-01-01T00:00:00.000Z|${id}`)],
    ["a six-digit year", forge(`+275760-09-13T00:00:00.000Z|${id}`)],
    ["a date in another spelling", forge(`2026-11-26|${id}`)],
  ])("refuses %s with INVALID_CURSOR", (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: "INVALID_CURSOR" }));
  });
});
