/** Start-up refused for a reason the operator must fix; the message says how. */
export class StartupError extends Error {
  override name = "StartupError";
}
