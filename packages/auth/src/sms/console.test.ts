import { describe, expect, it } from "vitest";
import { createConsoleSmsProvider } from "./console.ts";
import type { SmsMessage } from "./provider.ts";

describe("console SMS provider", () => {
  it("hands each message to the writer", async () => {
    const written: SmsMessage[] = [];
    const provider = createConsoleSmsProvider((message) => written.push(message));
    expect(provider.name).toBe("console");
    await expect(provider.send({ to: "+41791234567", body: "Your code is 042917" })).resolves.toEqual({});
    expect(written).toEqual([{ to: "+41791234567", body: "Your code is 042917" }]);
  });
});
