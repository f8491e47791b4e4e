/**
 * The app codes a procedure can answer with, by HTTP status, beyond those its builders and the
 * HTTP edge already imply (see the API's `operation-errors.ts`). Declared beside the procedure,
 * in its REST route; the OpenAPI document lists them as enums, and the HTTP suites check every
 * REST answer they receive against the document, so an undeclared code fails the test that met it.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

export type ErrorDeclaration = Partial<Record<ErrorStatus, readonly string[]>>;
