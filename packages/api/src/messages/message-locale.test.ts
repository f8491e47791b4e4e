import { describe, expect, it } from "vitest";
import { parseAcceptLanguage } from "./accept-language.ts";
import { chooseMessageLocale } from "./message-locale.ts";

describe("parseAcceptLanguage", () => {
  it("orders ranges by weight, keeping the client's order for equal weights", () => {
    expect(parseAcceptLanguage("en;q=0.8, ru-RU, ru;q=0.9, de")).toEqual([
      { range: "ru-ru", q: 1 },
      { range: "de", q: 1 },
      { range: "ru", q: 0.9 },
      { range: "en", q: 0.8 },
    ]);
  });

  it("reads wildcards, zero weights and loose spacing", () => {
    expect(parseAcceptLanguage(" * ;q=0.1 ,fr ; q=0 ")).toEqual([
      { range: "*", q: 0.1 },
      { range: "fr", q: 0 },
    ]);
  });

  it.each([
    ["a weight above 1", "ru;q=1.5"],
    ["a weight with four decimals", "ru;q=0.1234"],
    ["a negative weight", "ru;q=-1"],
    ["a weight that is not a number", "ru;q=high"],
    ["an unknown parameter", "ru;level=1"],
    ["a range with a bad character", "ru_RU"],
    ["a subtag longer than eight letters", "russianlanguage"],
    ["an empty entry", ""],
  ])("skips an entry with %s", (_label, entry) => {
    expect(parseAcceptLanguage(`${entry}, en;q=0.5`)).toEqual([{ range: "en", q: 0.5 }]);
  });

  it("yields nothing for a missing or absurd header", () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage("")).toEqual([]);
    expect(parseAcceptLanguage(",,,;;;")).toEqual([]);
    expect(parseAcceptLanguage(`ru, ${"x".repeat(2000)}`)).toEqual([]);
  });
});

describe("chooseMessageLocale", () => {
  it("takes the stored locale first, falling back from a region to its language", () => {
    expect(chooseMessageLocale({ userLocale: "ru", acceptLanguage: "en" })).toBe("ru");
    expect(chooseMessageLocale({ userLocale: "ru-RU", acceptLanguage: "en" })).toBe("ru");
    expect(chooseMessageLocale({ userLocale: "EN", acceptLanguage: "ru" })).toBe("en");
  });

  it("falls back to the header when the stored locale is unset or unsupported", () => {
    expect(chooseMessageLocale({ userLocale: null, acceptLanguage: "ru" })).toBe("ru");
    expect(chooseMessageLocale({ userLocale: "de-CH", acceptLanguage: "ru" })).toBe("ru");
    expect(chooseMessageLocale({ acceptLanguage: "ru" })).toBe("ru");
  });

  it.each([
    ["ru-RU,ru;q=0.9,en;q=0.8", "ru"],
    ["en-GB,en;q=0.9,ru;q=0.8", "en"],
    ["fr-CH, fr;q=0.9, ru;q=0.5, en;q=0.4", "ru"],
    ["en;q=0.2, ru;q=0.7", "ru"],
    ["ru;q=0, *", "en"],
    ["en;q=0, *", "ru"],
    ["en;q=0, ru;q=0, *", "en"],
    ["*", "en"],
    ["fr", "en"],
    ["ru;q=2, en;q=0.1", "en"],
    ["ru;;q=0.5", "en"],
    ["\u0000ru", "en"],
    ["", "en"],
  ])("reads Accept-Language %j as %s", (header, locale) => {
    expect(chooseMessageLocale({ userLocale: null, acceptLanguage: header })).toBe(locale);
  });

  it("answers English without any hint", () => {
    expect(chooseMessageLocale({})).toBe("en");
    expect(chooseMessageLocale({ userLocale: undefined, acceptLanguage: undefined })).toBe("en");
  });

  it("never throws, whatever the header holds", () => {
    const junk = [
      "q=",
      ";",
      "-",
      "ru-",
      "-ru",
      "ru--RU",
      "ru;q=",
      "ru;q=.5",
      "*;q=0",
      "🙂",
      "ru;q=0.5;q=0.6",
      "x".repeat(100_000),
    ];
    for (const header of junk) {
      expect(() => chooseMessageLocale({ userLocale: "🙂", acceptLanguage: header })).not.toThrow();
    }
  });
});
