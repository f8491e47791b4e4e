import type { NotificationKinds } from "@tenantry/api-core";
import type { OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { pascalCase } from "./component-names.ts";

type Schema = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

/** `shop.order.placed` → `ShopOrderPlacedNotification`. */
const componentName = (kind: string) => `${pascalCase(kind)}Notification`;

/**
 * The `Notification` component as one variant per kind, told apart by `kind`, each with its
 * exact `data` (the kinds' schemas, checked on every send): a generated client narrows
 * `notification.data` by `notification.kind` without casts.
 */
export function describeNotificationKinds(document: OpenAPIObject, kinds: NotificationKinds): void {
  const schemas = document.components?.schemas;
  const base = schemas?.Notification;
  if (!schemas || !base || "$ref" in base || !base.properties) {
    throw new Error("OpenAPI: the Notification component is missing or not an object.");
  }
  const mapping: Record<string, string> = {};
  for (const [kind, dataSchema] of Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))) {
    const name = componentName(kind);
    const { $schema: _dialect, ...data } = z.toJSONSchema(dataSchema, { io: "output", unrepresentable: "any" });
    schemas[name] = {
      ...base,
      description: `A \`${kind}\` notification.`,
      properties: {
        ...base.properties,
        kind: { type: "string", enum: [kind] },
        data: { ...(data as Schema), description: `What a \`${kind}\` notification is about.` },
      },
    };
    mapping[kind] = `#/components/schemas/${name}`;
  }
  schemas.Notification = {
    description: "A notification to the signed-in member; `kind` says which, and so the shape of `data`.",
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: "kind", mapping },
  };
}
