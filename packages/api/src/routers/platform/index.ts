import { router } from "../../trpc.ts";
import { contentRouter } from "./content.router.ts";

export const platformRouter = router({
  content: contentRouter,
});
