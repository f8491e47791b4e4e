import { platformRouter } from "./routers/platform/index.ts";
import { router } from "./trpc.ts";

/** Every router of the platform; its type is what the SDK's client is built on. */
export const appRouter = router({
  platform: platformRouter,
});

export type AppRouter = typeof appRouter;
