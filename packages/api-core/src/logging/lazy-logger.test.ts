import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { lazyLogger } from "./lazy-logger.ts";

describe("lazyLogger", () => {
  const collect = () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, root: pino({ level: "info" }, sink) };
  };

  it("makes the child only when something logs, once, and logs through it", () => {
    const { lines, root } = collect();
    let made = 0;
    const log = lazyLogger(() => {
      made += 1;
      return root.child({ reqId: "r-1" });
    });
    const ctx = { ...{ log }, extra: 1 };
    expect(made).toBe(0);
    ctx.log.info({ n: 1 }, "first");
    log.warn("second");
    expect(made).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg, l.level])).toEqual([
      ["r-1", "first", 30],
      ["r-1", "second", 40],
    ]);
  });

  it("forwards children, levels and checks", () => {
    const { lines, root } = collect();
    const log = lazyLogger(() => root.child({ reqId: "r-2" }));
    expect(log.isLevelEnabled("debug")).toBe(false);
    log.level = "debug";
    expect(log.isLevelEnabled("debug")).toBe(true);
    const tagged = lazyLogger(() => log.child({ module: "shop" }));
    tagged.debug("from a module");
    expect(lines).toMatchObject([{ reqId: "r-2", module: "shop", msg: "from a module", level: 20 }]);
  });
});
