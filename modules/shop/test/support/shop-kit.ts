import { randomUUID } from "node:crypto";
import type { TenantDb } from "@tenantry/module-sdk";
import {
  createModuleTestHarness,
  testBackends,
  withTenantScope,
  type ModuleTestHarness,
  type TestBackend,
} from "@tenantry/module-testing";
import shop from "../../src/index.ts";

/**
 * What every shop test file shares: a harness per backend, a way to read a refusal's stable
 * code, and direct reads of the shop's rows (through row-level security, as the tenant).
 */

export { shop, testBackends, type TestBackend };
export type ShopHarness = ModuleTestHarness<typeof shop>;
export type ShopCaller = ShopHarness["owner"];

export const openShop = (backend: TestBackend, options: { enable?: boolean } = {}) =>
  createModuleTestHarness(shop, { backend, ...options });

export interface Refusal {
  code: string;
  message: string;
  issues?: Array<{ field: string; message: string }>;
}

/**
 * The AppError (or InputValidationError) a call was refused with. Fails the test when the call
 * succeeds, so a test of a refusal cannot pass by accident.
 */
export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    const e = error as {
      code?: unknown;
      message?: string;
      cause?: { code?: unknown; message?: string; issues?: Refusal["issues"] };
    };
    const cause = e.cause && typeof e.cause.code === "string" ? e.cause : undefined;
    return {
      code: String(cause?.code ?? e.code),
      message: cause?.message ?? e.message ?? "",
      ...(cause?.issues ? { issues: cause.issues } : {}),
    };
  }
  throw new Error(`expected the call to be refused, but it answered ${JSON.stringify(result)}`);
}

/** The code a call was refused with, or "ok". */
export const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => "ok",
    (error: { cause?: { code?: unknown }; code?: unknown }) => String(error.cause?.code ?? error.code),
  );

/** The fields a VALIDATION_FAILED refusal names. */
export async function invalidFields(call: Promise<unknown>): Promise<string[]> {
  const refused = await refusal(call);
  if (refused.code !== "VALIDATION_FAILED") {
    throw new Error(`expected VALIDATION_FAILED, got ${refused.code}: ${refused.message}`);
  }
  return (refused.issues ?? []).map((i) => i.field);
}

/** Reads as the tenant, through row-level security (the harness's db is the application role). */
export const asTenant = <T>(h: ShopHarness, tenantId: string, work: (tx: TenantDb) => Promise<T>): Promise<T> =>
  withTenantScope(h.db.prisma, { tenantId }, work);

export const inShop = <T>(h: ShopHarness, work: (tx: TenantDb) => Promise<T>): Promise<T> => asTenant(h, h.tenant.id, work);

export async function stockOf(h: ShopHarness, productId: string, tenantId = h.tenant.id): Promise<number> {
  const row = await asTenant(h, tenantId, (tx) =>
    tx.shopProduct.findUniqueOrThrow({ where: { id: productId }, select: { stock: true } }),
  );
  return row.stock;
}

export const orderRowsFor = (h: ShopHarness, productId: string) =>
  inShop(h, (tx) => tx.shopOrder.findMany({ where: { items: { some: { productId } } }, include: { items: true } }));

/** A product with a unique name, made by `by` (default the owner). */
export function newProduct(
  h: ShopHarness,
  fields: Partial<Parameters<ShopCaller["catalog"]["products"]["create"]>[0]> = {},
  by: ShopCaller = h.owner,
) {
  return by.catalog.products.create({ name: `Product ${randomUUID().slice(0, 8)}`, priceMinor: 1000, stock: 10, ...fields });
}

/** A category with a unique slug. */
export function newCategory(h: ShopHarness, fields: { name?: string; slug?: string; position?: number } = {}) {
  const suffix = randomUUID().slice(0, 8);
  return h.owner.catalog.categories.create({ name: `Category ${suffix}`, slug: `category-${suffix}`, ...fields });
}

/** Everything a paginated list returns, page by page. */
export async function allPages<T>(
  fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetch(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    if (pages.length > 100) throw new Error("pagination does not end");
    cursor = page.nextCursor;
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
