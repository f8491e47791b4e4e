import ts from "typescript";
import { describe, expect, it } from "vitest";
import { createTypePrinter } from "../scripts/print-type.ts";

/*
 * The printer decides what a frontend's compiler sees for every procedure's input and output,
 * so the shapes future procedures will return are pinned here, not only today's content types.
 */

const fileName = "/virtual/types.ts";

// No DOM: the standard library alone, parsed once and shared by every program below.
const options: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  noEmit: true,
  types: [],
};
const libFiles = new Map<string, ts.SourceFile | undefined>();

function printExports(source: string, named: string[] = []): Record<string, string> {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (f === fileName ? source : readFile(f));
  host.fileExists = (f) => f === fileName || fileExists(f);
  host.getSourceFile = (f, language, ...rest) => {
    if (f === fileName) return ts.createSourceFile(f, source, language);
    if (!libFiles.has(f)) libFiles.set(f, getSourceFile(f, language, ...rest));
    return libFiles.get(f);
  };
  const program = ts.createProgram([fileName], options, host);
  const errors = ts.getPreEmitDiagnostics(program);
  expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);

  const checker = program.getTypeChecker();
  const symbols = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(fileName)!)!);
  const typeOf = (s: ts.Symbol) => checker.getDeclaredTypeOfSymbol(s);
  const names = new Map(symbols.filter((s) => named.includes(s.name)).map((s) => [typeOf(s), s.name]));
  const { print } = createTypePrinter({ checker, program, names });
  return Object.fromEntries(symbols.map((s) => [s.name, print(typeOf(s), s.name, "", typeOf(s))]));
}

describe("the type printer", () => {
  it("spells out interfaces, optional fields, unions and literals", () => {
    const printed = printExports(`
      interface Owner { id: string; "display-name"?: string; readonly active: boolean }
      export type Entry = { owner: Owner; role: "admin" | "member"; count: number | null; flag: true };
    `);
    expect(printed.Entry).toBe(
      [
        "{",
        "  owner: {",
        "    id: string;",
        '    "display-name"?: string | undefined;',
        "    readonly active: boolean;",
        "  };",
        '  role: "admin" | "member";',
        "  count: number | null;",
        "  flag: true;",
        "}",
      ].join("\n"),
    );
  });

  it("keeps built-in types by name and writes arrays, tuples and records", () => {
    const printed = printExports(`
      export type Shapes = {
        at: Date;
        tags: readonly string[];
        pairs: (string | number)[];
        point: [x: number, y?: number, ...rest: string[]];
        byId: Record<string, { n: bigint }>;
        seen: Map<string, Date>;
      };
    `);
    expect(printed.Shapes).toBe(
      [
        "{",
        "  at: Date;",
        "  tags: readonly string[];",
        "  pairs: (string | number)[];",
        "  point: [number, number?, ...string[]];",
        "  byId: {",
        "    [key: string]: {",
        "      n: bigint;",
        "    };",
        "  };",
        "  seen: Map<string, Date>;",
        "}",
      ].join("\n"),
    );
  });

  it("writes enums as their values and named types by name", () => {
    const printed = printExports(
      `
      enum Plan { Free = "free", Pro = "pro" }
      export interface Money { cents: number }
      export type Offer = { plan: Plan; price: Money; prices: Money[] };
    `,
      ["Money"],
    );
    expect(printed.Offer).toBe('{\n  plan: "free" | "pro";\n  price: Money;\n  prices: Money[];\n}');
  });

  it("refuses what a JSON client cannot receive, saying where", () => {
    expect(() => printExports(`export type Bad = { nested: { run(): void } };`)).toThrow(
      /Bad\.nested.*functions do not travel over JSON/,
    );
    expect(() => printExports(`export interface Tree { children: Tree[] }`, [])).toThrow(/Tree\.children\[\].*refers to itself/);
  });
});
