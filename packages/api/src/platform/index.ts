import { router } from "@tenantry/api-core";
import { contentRouter } from "./content.router.ts";

export const platformRouter = router({
  content: contentRouter,
});
