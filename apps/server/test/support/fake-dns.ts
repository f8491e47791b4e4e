import type { TxtResolver } from "@tenantry/api";

/** Answers TXT questions from a table the test fills, like a DNS zone it controls. */
export interface FakeDns extends TxtResolver {
  /** Publishes (replaces) the TXT values at `name`. */
  setTxt(name: string, values: string[]): void;
  /** Every name asked for, in order. */
  queries: string[];
}

export function fakeDns(): FakeDns {
  const zone = new Map<string, string[]>();
  const queries: string[] = [];
  return {
    queries,
    setTxt(name, values) {
      zone.set(name.toLowerCase(), values);
    },
    async resolveTxt(name) {
      queries.push(name);
      const values = zone.get(name.toLowerCase());
      if (!values) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
      // DNS splits long TXT values into 255-byte chunks; the resolver returns the chunks.
      return values.map((value) => value.match(/.{1,255}/g) ?? [""]);
    },
  };
}
