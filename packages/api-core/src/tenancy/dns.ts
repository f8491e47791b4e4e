import { Resolver } from "node:dns/promises";

/** The one DNS question domain verification asks; injectable so tests answer it themselves. */
export interface TxtResolver {
  /** TXT records at `name`, each as its chunks (as `dns.resolveTxt` returns them). */
  resolveTxt(name: string): Promise<string[][]>;
}

export function systemTxtResolver(timeoutMs = 5000): TxtResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}
