/**
 * The hostile values the fuzz suite puts into fields, path segments and query strings. Some
 * cannot be made by `JSON.stringify` (a lone surrogate escape, `-0`, a number past 2^53, 5,000
 * levels of nesting), so bodies are JSON text assembled here with `Raw` pieces kept verbatim.
 */

/** JSON text inserted as written. */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON text for a value that may hold `Raw` pieces anywhere. */
export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([key, child]) => `${JSON.stringify(key)}:${toJsonText(child)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const deepArray = (depth: number) => new Raw("[".repeat(depth) + "]".repeat(depth));
const deepObject = (depth: number) => new Raw('{"a":'.repeat(depth) + "1" + "}".repeat(depth));

/** Text that is hard for someone: long, zero-width, right-to-left, combining, NUL, injection-shaped. */
export const hostileStrings: readonly string[] = [
  "",
  " ",
  "\t\n",
  "a",
  "x".repeat(256),
  "x".repeat(5_000),
  "x".repeat(60_000),
  "x".repeat(120_000),
  "😀".repeat(500),
  "👩‍👩‍👧‍👦🏳️‍🌈",
  "\u202egnp.exe",
  "שלום עולם",
  "مرحبا بالعالم",
  "e\u0301".repeat(2_000),
  "Z̸̢̛̙͖̈́a̴͇̓l̸̰̈́g̴̳͐o̷͙͆",
  "\u0000",
  "a\u0000b",
  "\ufeff\u200b\u200d",
  "\u2028\u2029",
  "a\r\nX-Injected: 1",
  "' OR 1=1 --",
  '"; DROP TABLE tenants; --',
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "../../../etc/passwd",
  "%2e%2e%2f",
  "null",
  "undefined",
  "true",
  "NaN",
  "-Infinity",
  "1e308",
  "0x1F",
  "[object Object]",
  "__proto__",
  "ADMIN",
  "OWNER",
];

/** Numbers at and past the edges, some only expressible as JSON text. */
export const hostileNumbers: readonly unknown[] = [
  0,
  -1,
  1,
  0.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  new Raw("9007199254740993"),
  new Raw("-9007199254740993"),
  1e308,
  -1e308,
  new Raw("1e400"),
  new Raw("-1e400"),
  new Raw("1e-400"),
  new Raw("-0"),
  new Raw("0.0000000000000000000001"),
  5e-324,
  new Raw("123456789012345678901234567890"),
];

/** Strings JSON.stringify would never write: lone halves of a surrogate pair. */
export const loneSurrogates: readonly Raw[] = [
  new Raw('"\\ud800"'),
  new Raw('"\\udfff"'),
  new Raw('"ok \\udc00 ok"'),
  new Raw('"\\ud83d"'),
  new Raw('"\\ud83d\\ude00\\ud83d"'),
];

/** Values of the wrong kind for almost any field. */
export const hostileShapes: readonly unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [1, "a", null],
  [{}],
  { a: 1 },
  { $gt: "" },
  { constructor: { prototype: { polluted: true } } },
  new Raw('{"__proto__":{"polluted":true}}'),
  Array.from({ length: 2_000 }, (_, i) => i),
  deepArray(20),
  deepArray(40),
  deepArray(5_000),
  deepObject(200),
];

/** Every hostile field value, for picking at random. */
export const hostileValues: readonly unknown[] = [...hostileStrings, ...hostileNumbers, ...loneSurrogates, ...hostileShapes];

/** Whole bodies that are not an object of fields at all. */
export const hostileBodies: readonly Raw[] = [
  new Raw("null"),
  new Raw("[]"),
  new Raw("[{}]"),
  new Raw('"text"'),
  new Raw("42"),
  new Raw("true"),
  new Raw("{"),
  new Raw('{"a":'),
  new Raw("{'single':'quotes'}"),
  new Raw('{"a":1,}'),
  new Raw("NaN"),
  new Raw('{"a":1}{"b":2}'),
  new Raw('"\\ud800"'),
  new Raw('{"\\ud800":1}'),
  new Raw("[".repeat(5_000) + "]".repeat(5_000)),
  new Raw('{"a":'.repeat(5_000) + "1" + "}".repeat(5_000)),
  new Raw(`{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":${i}`).join(",")}}`),
  new Raw('{"a":1,"a":2}'),
];
