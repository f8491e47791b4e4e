import { describe, expect, it } from "vitest";
import { localeFallbacks } from "./content.ts";

describe("localeFallbacks", () => {
  it("goes from the most specific tag to the platform default", () => {
    expect(localeFallbacks("de-CH", "en")).toEqual(["de-CH", "de", "en"]);
    expect(localeFallbacks("zh-Hant-TW", "en")).toEqual(["zh-Hant-TW", "zh-Hant", "zh", "en"]);
  });

  it("does not repeat the default", () => {
    expect(localeFallbacks("en", "en")).toEqual(["en"]);
    expect(localeFallbacks("en-GB", "en")).toEqual(["en-GB", "en"]);
  });
});
