/**
 * The operations of an OpenAPI document, as the fuzz suite walks them: method, path template,
 * path and query parameters, and the JSON body's schema. Read from the document the server
 * serves, so an operation added tomorrow is fuzzed without anyone listing it.
 */

/** The part of JSON Schema the document uses (trpc-to-openapi writes plain, inline schemas). */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
}

export interface Parameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The template, e.g. `/tenant/domains/{domainId}`. */
  path: string;
  /** `DELETE /tenant/domains/{domainId}`: how failures and lists name it. */
  name: string;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  body: Schema | undefined;
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const methods = new Set(["get", "post", "patch", "put", "delete"]);

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!methods.has(method)) continue;
      const parameters = (operation.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in as Parameter["in"],
        required: p.required === true,
        schema: p.schema ?? {},
      }));
      const upper = method.toUpperCase() as Operation["method"];
      operations.push({
        method: upper,
        path,
        name: `${upper} ${path}`,
        pathParameters: parameters.filter((p) => p.in === "path"),
        queryParameters: parameters.filter((p) => p.in === "query"),
        body: operation.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return operations;
}

/** A field of a body, reached through objects and the first item of arrays (`items.0.quantity`). */
export interface FieldPath {
  path: Array<string | number>;
  /** The property name the value sits under (for an array item: the array's). */
  name: string;
  schema: Schema;
}

/** Every field of `schema` down to `maxDepth` levels, for mutating one at a time. */
export function fieldPaths(schema: Schema | undefined, maxDepth = 3): FieldPath[] {
  const found: FieldPath[] = [];
  const walk = (node: Schema, path: Array<string | number>, name: string, depth: number) => {
    if (depth > maxDepth) return;
    if (path.length > 0) found.push({ path, name, schema: node });
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, [...path, key], key, depth + 1);
    if (node.items) walk(node.items, [...path, 0], name, depth + 1);
  };
  if (schema) walk(schema, [], "", 0);
  return found;
}

/** A copy of `value` with the field at `path` set to `replacement` (or removed: `undefined`). */
export function withField(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[head] = withField(list[head], rest, replacement);
    return list;
  }
  const object = value !== null && typeof value === "object" && !Array.isArray(value) ? { ...value } : {};
  const next = withField((object as Record<string, unknown>)[head!], rest, replacement);
  if (next === undefined) delete (object as Record<string, unknown>)[head!];
  else (object as Record<string, unknown>)[head!] = next;
  return object;
}
