/**
 * A header value, or a function that returns it. The function is called for every HTTP request,
 * so a frontend can hand over a token that it refreshes, or the tenant the user is looking at now.
 * An empty or missing value sends no header.
 */
export type HeaderValue = string | (() => string | undefined | Promise<string | undefined>);

export type HeaderRecord = Record<string, string>;

export interface HeaderOptions {
  /** Access token, sent as `Authorization: Bearer <token>`. */
  token?: HeaderValue;
  /** Tenant id or slug, sent as `X-Tenant`; needed where the host name does not say the tenant. */
  tenant?: HeaderValue;
  /** Further headers; `token` and `tenant` win over headers of the same name here. */
  headers?: HeaderRecord | (() => HeaderRecord | Promise<HeaderRecord>);
}

/** The headers of one request, from the options as they are at this moment. */
export async function resolveHeaders(options: HeaderOptions): Promise<HeaderRecord> {
  const [token, tenant, extra] = await Promise.all([
    resolveValue(options.token),
    resolveValue(options.tenant),
    typeof options.headers === "function" ? options.headers() : options.headers,
  ]);
  const headers: HeaderRecord = { ...extra };
  if (token) setHeader(headers, "Authorization", `Bearer ${token}`);
  if (tenant) setHeader(headers, "X-Tenant", tenant);
  return headers;
}

async function resolveValue(value: HeaderValue | undefined): Promise<string | undefined> {
  return typeof value === "function" ? value() : value;
}

// Header names are case-insensitive: a caller's `authorization` must not travel beside ours.
function setHeader(headers: HeaderRecord, name: string, value: string): void {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  }
  headers[name] = value;
}
