import { describe, expect, it } from "vitest";
import { StartupError, createLogger, startServer } from "./support/server-under-test.ts";
import { testBackends, testConfig } from "./support/test-server.ts";

describe.each(testBackends())("start-up on $name", (backend) => {
  it("refuses to start in production with pending migrations, naming the command", async () => {
    const database = await backend.create({ empty: true });
    try {
      const config = testConfig(database, {
        NODE_ENV: "production",
        ALLOW_EMBEDDED_DATABASE: "true",
        JWT_SECRET: "p".repeat(48),
        SMS_PROVIDER: "twilio",
        TWILIO_ACCOUNT_SID: "AC123",
        TWILIO_AUTH_TOKEN: "token",
        TWILIO_FROM: "+15005550006",
      });
      const start = startServer(config, createLogger(config));
      await expect(start).rejects.toBeInstanceOf(StartupError);
      await expect(start).rejects.toThrow(/pending migration.*pnpm db:migrate/s);
    } finally {
      await database.drop();
    }
  });
});
