import type { AddressInfo } from "node:net";
import { initTRPC, TRPCError } from "@trpc/server";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { trpcJsonCalls } from "./trpc-json-calls.ts";

/*
 * The fast path must answer exactly what tRPC's own adapter answers. One app mounts the same
 * router twice: `/official` with tRPC's Express adapter alone, `/fast` with trpcJsonCalls in front
 * of it (as app.ts does); every request below goes to both and the answers are compared, status,
 * body and the headers a client reads. `answeredBy` shows which handler answered on `/fast`.
 */
class Refusal extends Error {
  constructor(readonly code: string) {
    super(`refused: ${code}`);
  }
}

interface Ctx {
  user: string | undefined;
}

const t = initTRPC.context<Ctx>().create({
  // Stacks differ by call site, and the server never sends them (isDev: false there too).
  isDev: false,
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: { ...shape.data, appCode: error.cause instanceof Refusal ? error.cause.code : error.code },
  }),
});
const sample = t.router({
  echo: t.procedure.input(z.object({ text: z.string().max(5) })).query(({ input, ctx }) => ({ ...input, user: ctx.user })),
  noInput: t.procedure.query(() => "plain"),
  refuse: t.procedure.query(() => {
    throw new TRPCError({ code: "FORBIDDEN", cause: new Refusal("NOPE") });
  }),
  crash: t.procedure.query(() => {
    throw new Error("secret internals");
  }),
  nested: t.router({
    add: t.procedure.input(z.object({ a: z.number(), b: z.number() })).mutation(({ input }) => input.a + input.b),
  }),
  ticks: t.procedure.subscription(async function* () {
    yield 1;
  }),
});

const errorsSeen: string[] = [];
let answeredBy: "fast" | "official" | undefined;
let baseUrl = "";
let close: () => Promise<void>;

beforeAll(async () => {
  const app = express();
  app.use(express.json({ strict: false, type: "application/json" }));
  const createContext = (req: express.Request): Ctx => {
    if (req.headers["x-fail-context"]) throw new TRPCError({ code: "UNAUTHORIZED", message: "no context" });
    return { user: typeof req.headers["x-user"] === "string" ? req.headers["x-user"] : undefined };
  };
  const responseMeta = ({ errors }: { errors: TRPCError[] }) => ({
    headers: errors.some((e) => e.code === "FORBIDDEN") ? { "Retry-After": "7" } : {},
  });
  const onError = ({ error, path }: { error: TRPCError; path: string | undefined }) => {
    errorsSeen.push(`${path}:${error.code}`);
  };
  const official = createExpressMiddleware({
    router: sample,
    createContext: ({ req }) => createContext(req),
    responseMeta,
    onError,
  });
  app.use("/official", official);
  app.use(
    "/fast",
    (_req, _res, next) => {
      answeredBy = "fast";
      next();
    },
    trpcJsonCalls({ router: sample, createContext, responseMeta, onError }),
    (_req, _res, next) => {
      answeredBy = "official";
      next();
    },
    official,
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

async function answer(mount: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${baseUrl}/${mount}/${path}`, init);
  return {
    status: res.status,
    body: await res.text(),
    contentType: res.headers.get("content-type"),
    retryAfter: res.headers.get("retry-after"),
    allow: res.headers.get("allow"),
  };
}

async function both(path: string, init: RequestInit = {}) {
  errorsSeen.length = 0;
  const official = await answer("official", path, init);
  const officialErrors = [...errorsSeen];
  errorsSeen.length = 0;
  const fast = await answer("fast", path, init);
  expect(fast).toEqual(official);
  expect(errorsSeen).toEqual(officialErrors);
  return { ...fast, by: answeredBy };
}

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("tRPC JSON calls answered like tRPC's own adapter", () => {
  it("answers queries, mutations and batches itself", async () => {
    const cases: Array<[string, RequestInit?]> = [
      [`echo?${input({ text: "hi" })}`, { headers: { "x-user": "ann" } }],
      ["noInput"],
      [`noInput?${input({ ignored: true })}`],
      [`echo?${input({ text: "far too long" })}`],
      [`echo?${input({})}`],
      ["echo"],
      ["refuse"],
      ["crash"],
      ["nested.add", post({ a: 2, b: 3 })],
      ["nested.add", post({ a: "2" })],
      [`echo,noInput,refuse?batch=1&${input({ 0: { text: "ok" } })}`],
      [`echo,echo?batch=1&${input({ 0: { text: "a" }, 1: { text: "b" } })}`],
      ["echo,noInput?batch=1"],
      ["nested.add,nested.add?batch=1", post({ 0: { a: 1, b: 1 }, 1: { a: 2, b: 2 } })],
      ["nested.add?batch=1", post({ 0: { a: 1, b: "x" } })],
      [`echo?${input({ text: "hi" })}`, { headers: { "x-fail-context": "1" } }],
      [`echo%2CnoInput?batch=1&${input({ 0: { text: "ok" } })}`],
    ];
    for (const [path, init] of cases) {
      const result = await both(path, init);
      expect(result.by, path).toBe("fast");
    }
  });

  it("leaves everything else to tRPC's adapter, which answers as before", async () => {
    const cases: Array<[string, RequestInit?]> = [
      ["missing"],
      ["nested.add"],
      ["echo", post({ text: "hi" })],
      ["ticks"],
      [`echo?${input({ text: "hi" })}`, { method: "HEAD" }],
      [`echo?${input({ text: "hi" })}`, { method: "PUT" }],
      [`echo,missing?batch=1&${input({})}`],
      [`echo,noInput?${input({})}`],
      [`echo?batch=1&${input([{ text: "a" }])}`],
      [`echo?batch=1&${input("text")}`],
      ["nested.add?batch=1", post([{ a: 1, b: 1 }])],
      ["nested.add", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }],
      [`echo?batch=1&batch=1&${input({ 0: { text: "a" } })}`],
      [`echo?batch=1&${input({ 0: { text: "a" } })}`, { headers: { "trpc-accept": "application/jsonl" } }],
    ];
    for (const [path, init] of cases) {
      const result = await both(path, init);
      expect(result.by, path).toBe("official");
    }
  });

  it("answers in one piece with a length, as the REST bridge does, not chunked", async () => {
    const res = await fetch(`${baseUrl}/fast/echo?${input({ text: "hi" })}`);
    expect(res.headers.get("content-length")).toBe(String((await res.clone().text()).length));
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(res.headers.get("vary")).toBe("trpc-accept, accept");
  });
});
