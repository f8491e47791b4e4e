import type { Logger } from "pino";

/**
 * A logger that is made the first time something logs through it. Each request gets a child
 * logger bound to its id (and a module's procedures one tagged with the module); making a pino
 * child runs its serializers and copies its bindings, which showed up at every request under load
 * (`pnpm bench:http`) though almost no request logs anything at the production level. Passing
 * this around (or spreading a context that holds it) costs nothing; the real child is made once,
 * on the first call or property read, and everything is forwarded to it.
 */
export function lazyLogger(make: () => Logger): Logger {
  let real: Logger | undefined;
  const target = () => (real ??= make());
  return new Proxy({} as Logger, {
    get(_, property) {
      const logger = target();
      const value = Reflect.get(logger, property, logger) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
    set(_, property, value) {
      return Reflect.set(target(), property, value);
    },
    has(_, property) {
      return Reflect.has(target(), property);
    },
  });
}
