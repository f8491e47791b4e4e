import { fieldPaths, withField, type FieldPath, type Operation } from "./fuzz-operations.ts";
import { plausible, type Pools } from "./fuzz-plausible.ts";
import type { Random } from "./fuzz-random.ts";
import { dotSegments, hostileQueryShapes, hostileQueryValues, hostileSegments } from "./fuzz-url-values.ts";
import { hostileBodies, hostileValues, Raw, toJsonText } from "./fuzz-values.ts";

/**
 * The inputs of one operation, derived from its schema: first a fixed tour (every dot segment
 * in every path parameter, every malformed body, every field dropped and broken), then random
 * mutations of a plausible input (one or more fields wrong, fields dropped or added, hostile
 * path segments and query strings, valid values stretched past every limit, identical requests
 * at once) up to `count`, with a few plausible inputs in between.
 */

export interface FuzzInput {
  /** What differs from a plausible input, for the failure report. */
  label: string;
  /** Path and query as sent, below `/api/v1`. */
  target: string;
  /** The body's JSON text; undefined: no body. */
  body: string | undefined;
  /** Sent this many times at once (a race between identical requests); 1 when absent. */
  copies?: number;
}

export interface FuzzContext {
  random: Random;
  /** Rows of the fuzzed tenant, by field name. */
  pools: Pools;
  /** Rows of the bystander tenant, by field name: must stay out of reach. */
  foreign: Pools;
}

/** A value for the report: its JSON text, cut short, with its length when cut. */
export function excerpt(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

/** Extra fields nobody declared, some of which name things the caller must not set. */
const extraFields = ["tenantId", "id", "userId", "role", "ownerId", "isPlatformAdmin", "status", "deletedAt", "x"];

function hostileValue(ctx: FuzzContext): unknown {
  const { random } = ctx;
  const names = Object.keys(ctx.foreign);
  if (names.length > 0 && random.chance(0.1)) return random.pick(ctx.foreign[random.pick(names)]!);
  return random.pick(hostileValues);
}

export function inputsFor(operation: Operation, count: number, givenCtx: FuzzContext): FuzzInput[] {
  // Platform admins act on any account by design (block, sign out, grant): the bystander's
  // users are not out of their reach, so those operations are not aimed at them.
  const ctx = operation.path.startsWith("/admin/users") ? { ...givenCtx, foreign: {} } : givenCtx;
  const { random, pools } = ctx;
  const fields = fieldPaths(operation.body);
  const required = Object.keys(operation.body?.properties ?? {}).filter((name) => operation.body?.required?.includes(name));
  const base = () => (operation.body ? plausible(operation.body, "", pools, random) : undefined);

  const plausibleSegment = (name: string) => {
    const parameter = operation.pathParameters.find((p) => p.name === name)!;
    return encodeURIComponent(String(plausible(parameter.schema, name, pools, random)));
  };
  const segments = (overrides: Record<string, string> = {}) =>
    Object.fromEntries(operation.pathParameters.map((p) => [p.name, overrides[p.name] ?? plausibleSegment(p.name)]));
  const plausibleQuery = () =>
    operation.queryParameters
      .filter((p) => p.required || random.chance(0.3))
      .map((p) => `${p.name}=${encodeURIComponent(String(plausible(p.schema, p.name, pools, random)))}`);

  const make = (label: string, body: unknown, path = segments(), query = plausibleQuery()): FuzzInput => {
    const filled = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => path[name] ?? "");
    return {
      label,
      target: query.length > 0 ? `${filled}?${query.join("&")}` : filled,
      body: body === undefined ? undefined : toJsonText(body),
    };
  };
  const field = (path: FieldPath, value: unknown) => `${path.path.join(".")} = ${excerpt(toJsonText(value))}`;

  const tour: FuzzInput[] = [make("plausible", base())];
  for (const parameter of operation.pathParameters) {
    for (const segment of dotSegments)
      tour.push(make(`path ${parameter.name} = ${segment}`, base(), segments({ [parameter.name]: segment })));
    for (const foreign of ctx.foreign[parameter.name] ?? []) {
      tour.push(make(`path ${parameter.name} = the bystander's ${foreign}`, base(), segments({ [parameter.name]: foreign })));
    }
  }
  if (operation.body) {
    for (const body of hostileBodies) tour.push(make(`body ${excerpt(body.text)}`, body));
    tour.push(make("no body", undefined));
    for (const name of required) tour.push(make(`without ${name}`, withField(base(), [name], undefined)));
    for (const path of fields) {
      for (const value of [null, random.pick(hostileValues), random.pick(hostileValues)]) {
        tour.push(make(field(path, value), withField(base(), path.path, value)));
      }
    }
  } else {
    // No body is declared: one is sent anyway, now and then, and must be ignored or refused.
    for (const body of hostileBodies.slice(0, 6)) tour.push(make(`unexpected body ${body.text}`, body));
  }
  for (const parameter of operation.queryParameters) {
    for (const shape of hostileQueryShapes(parameter.name))
      tour.push(make(`query ${excerpt(shape)}`, base(), segments(), [shape]));
  }

  const inputs = tour.slice(0, count);
  while (inputs.length < count) inputs.push(randomInput());
  return inputs;

  function randomInput(): FuzzInput {
    const roll = random.next();
    if (roll < 0.04) return make("plausible", base());
    if (roll < 0.07 && operation.method !== "GET") return { ...make("plausible, twice at once", base()), copies: 2 };
    if (roll < 0.22 && operation.pathParameters.length > 0) {
      const parameter = random.pick(operation.pathParameters).name;
      const segment = random.chance(0.2) ? random.uuid() : random.pick(hostileSegments);
      return make(`path ${parameter} = ${excerpt(segment)}`, base(), segments({ [parameter]: segment }));
    }
    if (roll < 0.36 && (operation.queryParameters.length > 0 || !operation.body)) {
      const names = operation.queryParameters.map((p) => p.name);
      const name = names.length > 0 && random.chance(0.8) ? random.pick(names) : random.pick(["extra", "limit", "cursor"]);
      const query = random.chance(0.2) ? random.pick(hostileQueryShapes(name)) : `${name}=${random.pick(hostileQueryValues)}`;
      return make(`query ${excerpt(query)}`, base(), segments(), [
        ...plausibleQuery().filter((q) => !q.startsWith(`${name}=`)),
        query,
      ]);
    }
    if (!operation.body || fields.length === 0) {
      if (random.chance(0.5)) return make("plausible", base());
      const value = hostileValue(ctx);
      return make(`body ${excerpt(toJsonText(value))}`, value);
    }
    if (roll < 0.46) return make(`whole body`, random.pick([...hostileBodies, new Raw(toJsonText([base()]))]));
    if (roll < 0.56) {
      const path = random.pick(fields);
      return make(`without ${path.path.join(".")}`, withField(base(), path.path, undefined));
    }
    const strings = fields.filter((f) => f.schema.type === "string");
    if (roll < 0.61 && strings.length > 0) {
      // A valid value made long (an email with a 60 KB local part): past the length checks
      // only if one is missing, and then on to the database's own limits (index rows, columns).
      const path = random.pick(strings);
      const body = base();
      const valid = String(plausible(path.schema, path.name, pools, random));
      const stretched = random.chance(0.5) ? "a".repeat(random.pick([300, 3_000, 70_000])) + valid : valid + "é".repeat(3_000);
      return make(`${path.path.join(".")} stretched to ${stretched.length} chars`, withField(body, path.path, stretched));
    }
    if (roll < 0.7) {
      const name = random.pick(extraFields);
      const value = random.chance(0.5) ? hostileValue(ctx) : random.pick(ctx.foreign.tenantId ?? [random.uuid()]);
      return make(`extra ${name} = ${excerpt(toJsonText(value))}`, { ...(base() as object), [name]: value });
    }
    let body = base();
    const labels: string[] = [];
    for (let i = random.chance(0.25) ? random.int(2, 3) : 1; i > 0; i--) {
      const path = random.pick(fields);
      const value = hostileValue(ctx);
      body = withField(body, path.path, value);
      labels.push(field(path, value));
    }
    return make(labels.join("; "), body);
  }
}
