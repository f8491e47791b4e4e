import { describe, expect, it } from "vitest";
import { normalizePhone, phoneMatchesBlock } from "./phone.ts";

const message = "must be a valid phone number in international format, e.g. +41791234567";

describe("normalizePhone", () => {
  it.each([
    ["+41 79 123 45 67", "+41791234567", "CH"],
    ["+41791234567", "+41791234567", "CH"],
    ["0041 79 123 45 67", "+41791234567", "CH"],
    ["  +41 (0)79 123-45-67 ", "+41791234567", "CH"],
    ["+44 7911 123456", "+447911123456", "GG"],
    ["+1 212 555 0100", "+12125550100", "US"],
    ["+49 30 123456", "+4930123456", "DE"],
  ])("accepts %j as %s", (input, e164, country) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164, country });
  });

  it.each([
    "",
    "   ",
    "079 123 45 67", // national format: no country to read it in
    "+41 99 123 45 67", // unassigned Swiss range, only the full metadata knows
    "+41 12 345 67 89",
    "+41 79 123 45 67 89",
    "+1 555 555 5555",
    "+123",
    "hello",
    "+41791234567 ext. 12",
    "+41791234567x12",
    "call +41791234567",
    `+41${"1".repeat(60)}`,
  ])("refuses %j with a clear message", (input) => {
    expect(normalizePhone(input)).toEqual({ ok: false, message });
  });
});

describe("phoneMatchesBlock", () => {
  it("matches an exact entry exactly", () => {
    expect(phoneMatchesBlock("+447911123456", { value: "+447911123456", isPrefix: false })).toBe(true);
    expect(phoneMatchesBlock("+4479111234567", { value: "+447911123456", isPrefix: false })).toBe(false);
    expect(phoneMatchesBlock("+447911123456", { value: "+4479", isPrefix: false })).toBe(false);
  });

  it("matches a prefix entry by prefix", () => {
    expect(phoneMatchesBlock("+447911123456", { value: "+4479", isPrefix: true })).toBe(true);
    expect(phoneMatchesBlock("+447811123456", { value: "+4479", isPrefix: true })).toBe(false);
    expect(phoneMatchesBlock("+14479111234", { value: "+4479", isPrefix: true })).toBe(false);
  });

  it("lets a malformed entry match nothing rather than everything", () => {
    for (const value of ["", "+", "4479", "+44 79"]) {
      expect(phoneMatchesBlock("+447911123456", { value, isPrefix: true })).toBe(false);
    }
  });
});
