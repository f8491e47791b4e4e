import { pino, type Logger } from "pino";
import type { Config } from "./config.ts";

/** JSON logs, one object a line; human-readable through pino-pretty in development. */
export function createLogger(config: Pick<Config, "env" | "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    base: { service: "tenantry" },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
      censor: "[redacted]",
    },
    ...(config.env === "development"
      ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" } } }
      : {}),
  });
}
