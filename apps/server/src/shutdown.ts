/**
 * Runs `stop` once on the first SIGTERM or SIGINT, then exits (0 when it finished cleanly).
 * A second signal while stopping exits at once.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void>) {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handle);
  process.on("SIGINT", handle);
}
