import { describe, expect, it } from "vitest";
import { z } from "zod";
import { publicProcedure, router } from "../trpc.ts";
import { listProcedures, procedureKinds, routerRootConfig } from "./router-procedures.ts";

// Pins what listProcedures reads from tRPC's internals: if an upgrade moves any of it, this
// fails here, not as a silently empty walk in the suites that rely on it.
describe("listProcedures", () => {
  const input = z.object({ id: z.string() });
  const output = z.object({ ok: z.boolean() });
  const sample = router({
    top: publicProcedure
      .meta({ internal: true })
      .input(input)
      .output(output)
      .query(() => ({ ok: true })),
    nested: router({
      deeper: router({
        act: publicProcedure.input(input).mutation(() => "done"),
      }),
    }),
  });

  it("lists nested procedures by dotted path, with kind, meta, input and output parsers", () => {
    const listed = listProcedures(sample);
    expect(listed.map((p) => [p.path, p.type])).toEqual([
      ["top", "query"],
      ["nested.deeper.act", "mutation"],
    ]);
    const top = listed[0]!;
    expect(top.meta).toEqual({ internal: true });
    expect(top.inputs).toEqual([input]);
    expect(top.output).toBe(output);
    expect(listed[1]!.meta).toBeUndefined();
    expect(listed[1]!.output).toBeUndefined();
  });
});

describe("procedureKinds and routerRootConfig", () => {
  const sample = router({
    read: publicProcedure.query(() => 1),
    nested: router({ write: publicProcedure.mutation(() => 2) }),
  });

  it("maps dotted paths to kinds, and nothing else", () => {
    const kinds = procedureKinds(sample);
    expect([...kinds]).toEqual([
      ["read", "query"],
      ["nested.write", "mutation"],
    ]);
    expect(kinds.get("nested")).toBeUndefined();
    expect(kinds.get("__proto__")).toBeUndefined();
  });

  it("reads the root config tRPC's error shape helper needs", () => {
    const config = routerRootConfig(sample);
    expect(typeof config.errorFormatter).toBe("function");
    expect(typeof config.transformer.input.deserialize).toBe("function");
  });
});
