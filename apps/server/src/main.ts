import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { StartupError, startServer } from "./server.ts";
import { onShutdownSignal } from "./shutdown.ts";

async function main() {
  const { config, warnings } = loadConfig();
  const logger = createLogger(config);
  for (const warning of warnings) logger.warn(warning);
  const running = await startServer(config, logger);
  onShutdownSignal(async (signal) => {
    logger.info({ signal }, "shutting down");
    await running.close();
  });
}

main().catch((error: unknown) => {
  // Config and start-up errors are for the operator: the message says what to fix.
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
