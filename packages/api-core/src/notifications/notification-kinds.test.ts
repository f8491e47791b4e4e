import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkedNotification, coreNotificationKinds } from "./notification-kinds.ts";

const kinds = { "shop.order.placed": z.object({ orderId: z.uuid() }) };
const orderId = "0b0f5b0e-8a43-4d4e-9c41-1f2a3b4c5d6e";

describe("checkedNotification", () => {
  it("passes a declared kind with matching data, keeping only the schema's fields", () => {
    const checked = checkedNotification("shop", kinds, {
      kind: "shop.order.placed",
      title: "New order",
      data: { orderId, extra: "dropped" } as { orderId: string },
    });
    expect(checked).toEqual({ kind: "shop.order.placed", title: "New order", data: { orderId } });
  });

  it("refuses a kind the source does not declare, and data its schema refuses", () => {
    expect(() =>
      checkedNotification("shop", kinds, { kind: "shop.other" as "shop.order.placed", title: "?", data: { orderId } }),
    ).toThrow(/shop sent a notification of kind "shop.other", which it does not declare/);
    expect(() => checkedNotification("shop", kinds, { kind: "shop.order.placed", title: "?", data: { orderId: "42" } })).toThrow(
      /"shop.order.placed" notification has data its schema refuses/,
    );
    // Inherited names are no kinds.
    expect(() =>
      checkedNotification("core", coreNotificationKinds, {
        kind: "toString" as "module.enabled",
        title: "?",
        data: { moduleId: "x", by: orderId },
      }),
    ).toThrow(/does not declare/);
  });
});
