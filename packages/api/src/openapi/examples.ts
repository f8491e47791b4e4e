/**
 * Request and response examples for the main journey (sign up, a tenant, the pro plan, a
 * product, an order that meets the stock), shown by `/docs` and by generated clients. Spectral
 * checks each against its schema (`pnpm openapi:lint`).
 */

interface OperationExamples {
  request?: unknown;
  responses?: Record<string, unknown>;
}

const userId = "6f1c1f9e-2b1a-4c5e-9a57-3c2f0d8e4b11";
const sessionId = "0b6a3c2d-7e41-4f5a-8c9b-1d2e3f4a5b6c";
const tenantId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const productId = "3a2b1c0d-9e8f-4a7b-9c6d-5e4f3a2b1c0d";

const tokens = {
  accessToken: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjMWY5ZSJ9.c2lnbmF0dXJl",
  accessTokenExpiresAt: "2026-11-30T12:15:00.000Z",
  refreshToken: "rt_8K2mQ7xV4pL9sD3fG6hJ1kN5bC0vX",
  refreshTokenExpiresAt: "2026-12-30T12:00:00.000Z",
  sessionId,
};

const signedIn = {
  ...tokens,
  user: {
    id: userId,
    phone: null,
    email: "ada@example.com",
    emailVerified: false,
    displayName: "Ada",
    locale: null,
    platformRole: "user",
    hasPassword: true,
    createdAt: "2026-11-30T12:00:00.000Z",
  },
  isNewUser: true,
};

const outOfStock = {
  code: "CONFLICT",
  message: 'items.0.quantity: "Last lamp" does not have 2 in stock.',
  data: { appCode: "OUT_OF_STOCK", httpStatus: 409, path: "modules.shop.orders.place" },
};

/** By `METHOD path`, as in the document. */
export const operationExamples: Record<string, OperationExamples> = {
  "POST /auth/email/register": {
    request: { email: "ada@example.com", password: "correct horse battery staple", displayName: "Ada" },
    responses: { "201": signedIn },
  },
  "POST /auth/email/sign-in": {
    request: { email: "ada@example.com", password: "correct horse battery staple" },
    responses: { "200": { ...signedIn, isNewUser: false } },
  },
  "POST /auth/refresh": {
    request: { refreshToken: tokens.refreshToken },
    responses: { "200": { ...tokens, refreshToken: "rt_Z9yX8wV7uT6sR5qP4oN3mL2kJ1hG" } },
  },
  "POST /tenants": {
    request: { slug: "acme", name: "Acme" },
    responses: {
      "201": { id: tenantId, slug: "acme", name: "Acme", status: "active", createdAt: "2026-11-30T12:01:00.000Z", role: "owner" },
    },
  },
  "PATCH /tenant/subscription": { request: { planCode: "pro" } },
  "POST /modules/shop/catalog/products": {
    request: { name: "Last lamp", priceMinor: 4900, stock: 1 },
  },
  "POST /modules/shop/orders": {
    request: { items: [{ productId, quantity: 2 }], note: "Leave it at the door" },
    responses: { "409": outOfStock },
  },
};
