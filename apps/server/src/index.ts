export { createApp, restBasePath } from "./app.ts";
export { ConfigError, loadConfig, type Config } from "./config.ts";
export { createLogger } from "./logger.ts";
export { StartupError, startServer, type RunningServer } from "./server.ts";
export { onShutdownSignal } from "./shutdown.ts";
