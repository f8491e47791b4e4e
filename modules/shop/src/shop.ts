import { createModuleProcedures } from "@tenantry/module-sdk";
import manifest from "../manifest.json" with { type: "json" };
import { shopNotifications } from "./notifications.ts";
import { shopSettings } from "./settings.ts";

/** The shop's procedure builders: every procedure is built on one of these. */
export const shop = createModuleProcedures({ manifest, settings: shopSettings, notifications: shopNotifications });
export { manifest };
