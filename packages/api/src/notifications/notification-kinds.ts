import { coreNotificationKinds, type NotificationKinds } from "@tenantry/api-core";
import { moduleDefinitions } from "../modules/installed-modules.ts";

/**
 * Every notification kind this build can send: the platform's own and each installed module's,
 * each with the schema of its `data`. Listing serves only these, so a module that is no longer
 * installed leaves no notifications behind whose shape the OpenAPI document does not describe.
 */
export const notificationKinds: NotificationKinds = Object.assign(
  {},
  coreNotificationKinds,
  ...[...moduleDefinitions.values()].map((definition) => definition.notifications),
);

export const knownNotificationKinds = Object.keys(notificationKinds);
