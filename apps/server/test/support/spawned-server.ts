import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { mainCommand } from "./server-under-test.ts";

const serverDir = path.resolve(import.meta.dirname, "../..");

export interface LogLine {
  msg?: string;
  url?: string;
  time?: number;
  [field: string]: unknown;
}

/** The real entry point in its own process, as an operator runs it; JSON log lines collected. */
export function spawnServer(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, mainCommand, {
    cwd: serverDir,
    env: { ...process.env, ...env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: LogLine[] = [];
  const waiters: Array<{ test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  createInterface({ input: child.stdout }).on("line", (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of waiters.filter((w) => w.test(line))) w.resolve(line);
  });
  const waitForLog = (msg: string) =>
    new Promise<LogLine>((resolve) => {
      const seen = lines.find((l) => l.msg === msg);
      if (seen) resolve(seen);
      else waiters.push({ test: (l) => l.msg === msg, resolve });
    });
  /** Resolves with the exit code and when the exit was seen (`Date.now()`). */
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on("exit", (code) => resolve({ code, at: Date.now() })),
  );
  return { child, lines, waitForLog, exited };
}
