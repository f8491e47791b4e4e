import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { pino, type Level } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { requestLogging } from "./request-logging.ts";

interface Line {
  level: number;
  msg: string;
  req?: { id: string; method: string; url: string; remoteAddress?: string };
  res?: { statusCode: number };
  responseTime?: number;
  note?: string;
}

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

/** An app behind requestLogging whose log lines are collected, at `level`. */
async function appLogging(level: Level) {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  const app = express();
  app.use(requestLogging(pino({ level }, sink)));
  app.get("/ok", (_req, res) => void res.json({ ok: true }));
  app.get("/logs", (req, res) => {
    req.log.info({ note: "from a handler" }, "handler line");
    res.status(404).json({});
  });
  app.get("/broken", (_req, res) => void res.status(500).json({}));
  app.get("/slow", () => undefined); // never answers: the client gives up
  app.get("/health", (_req, res) => void res.json({}));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // /slow's connection would hold close() until it times out
    });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  return { url, lines, settle };
}

describe("request log", () => {
  it("writes one short line per request, bound to its id, with no headers", async () => {
    const { url, lines, settle } = await appLogging("info");
    const res = await fetch(`${url}/ok?x=1`, { headers: { authorization: "Bearer secret-token", "x-request-id": "edge-1" } });
    expect(res.headers.get("x-request-id")).toBe("edge-1");
    await settle();
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: 30, msg: "request completed", req: { id: "edge-1", method: "GET", url: "/ok?x=1" } });
    expect(line!.res).toEqual({ statusCode: 200 });
    expect(typeof line!.responseTime).toBe("number");
    expect(JSON.stringify(lines)).not.toContain("secret-token");
  });

  it("gives handlers a logger bound to the request, and logs 4xx as warnings", async () => {
    const { url, lines, settle } = await appLogging("info");
    await fetch(`${url}/logs`);
    await settle();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, "handler line"],
      [40, "request completed"],
    ]);
    expect(lines[0]!.req?.id).toBe(lines[1]!.req?.id);
    expect(lines[0]!.note).toBe("from a handler");
  });

  it("at warn, drops successful requests and keeps failures", async () => {
    const { url, lines, settle } = await appLogging("warn");
    await fetch(`${url}/ok`);
    await fetch(`${url}/broken`);
    await settle();
    expect(lines.map((l) => [l.level, l.res?.statusCode])).toEqual([[50, 500]]);
  });

  it("logs a request the client gave up on as aborted", async () => {
    const { url, lines, settle } = await appLogging("info");
    await expect(fetch(`${url}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await settle();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[50, "request aborted before the answer was sent"]]);
  });

  it("leaves probes out of the log, though they get an id", async () => {
    const { url, lines, settle } = await appLogging("info");
    const res = await fetch(`${url}/health`);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await settle();
    expect(lines).toEqual([]);
  });
});
