import { describe, expect, it } from "vitest";
import { normalizeCustomDomain } from "./domain-name.ts";

describe("normalizeCustomDomain", () => {
  it("lower-cases, drops the trailing dot and converts IDN to punycode", () => {
    expect(normalizeCustomDomain("Shop.Example.COM.")).toEqual({ ok: true, domain: "shop.example.com" });
    expect(normalizeCustomDomain("bücher.example")).toMatchObject({ ok: false });
    expect(normalizeCustomDomain("bücher.de")).toEqual({ ok: true, domain: "xn--bcher-kva.de" });
  });

  it.each([
    ["https://shop.example.com", "no scheme"],
    ["shop.example.com:8080", "no scheme"],
    ["co.uk", "public suffix"],
    ["localhost", "valid host name"],
    ["192.168.1.10", "IP address"],
    ["-bad-.example.com", "valid host name"],
    ["example.notarealtld", "public suffix"],
    ["acme.tenantry.test", "belongs to the platform"],
  ])("refuses %s", (input, reason) => {
    const result = normalizeCustomDomain(input, "tenantry.test");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(reason);
  });
});
