/**
 * The reference the product is measured against: the same two reads written by hand, naively, as
 * a careful engineer would with Express 5 and the same generated Prisma client, on the same
 * database, as the same role, with the same pool size. It does the checks the product does for
 * these reads (tenant exists and is active, shop enabled, token genuine, session live, caller a
 * member) and answers the same JSON; it has none of the product's generality (no procedure
 * builders, no zod, no OpenAPI bridge, no request log).
 *
 * Row-level security: every tenant table has FORCE ROW LEVEL SECURITY for `tenantry_app`, and this
 * server connects exactly like the product (openDatabase: PostgreSQL connections start as
 * `tenantry_app`; PGlite switches its one connection to it). So it must set the tenant itself, and
 * does so the plain way: one interactive transaction per request that starts with
 * `set_config('app.tenant_id', …, true)`, the product's mechanism too. Connecting as the owner
 * would skip RLS (cheating); not setting the tenant would return no rows (crippled).
 */
import { findTenantByReference, openDatabase, type TenantIdentity } from "@tenantry/db";
import express, { type NextFunction, type Request, type Response } from "express";
import { jwtVerify } from "jose";

const env = process.env;
const db = await openDatabase({
  url: env.DATABASE_URL,
  dataDir: env.PGLITE_DATA_DIR ?? "",
  poolMax: Number(env.DATABASE_POOL_MAX ?? 10),
  statementTimeoutMs: 30_000,
});
await db.enterAppRole();
const prisma = db.prisma;
const jwtKey = new TextEncoder().encode(env.JWT_SECRET);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** Slug → tenant, filled on first use through the same SECURITY DEFINER lookup the product uses. */
const tenants = new Map<string, TenantIdentity | null>();
async function requestTenant(req: Request): Promise<TenantIdentity> {
  const slug = String(req.headers["x-tenant"] ?? "").toLowerCase();
  if (!slug || slug.length > 100) throw new HttpError(400, "TENANT_REQUIRED");
  let tenant = tenants.get(slug);
  if (tenant === undefined) {
    if (tenants.size > 10_000) tenants.clear(); // unknown names must not grow memory
    tenant = await findTenantByReference(prisma, slug);
    tenants.set(slug, tenant);
  }
  if (!tenant) throw new HttpError(404, "TENANT_NOT_FOUND");
  if (tenant.status !== "active") throw new HttpError(403, "TENANT_SUSPENDED");
  return tenant;
}

/** JWT (HS256, issuer, audience, typ) with the server's secret, then the session row. */
async function authenticate(req: Request): Promise<{ userId: string }> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!token) throw new HttpError(401, "UNAUTHENTICATED");
  const { payload } = await jwtVerify(token, jwtKey, {
    algorithms: ["HS256"],
    issuer: env.JWT_ISSUER ?? "tenantry",
    audience: env.JWT_AUDIENCE ?? "tenantry-api",
  }).catch(() => {
    throw new HttpError(401, "ACCESS_TOKEN_INVALID");
  });
  const { sub, sid, typ } = payload;
  if (typ !== "access" || typeof sub !== "string" || typeof sid !== "string" || !uuid.test(sub) || !uuid.test(sid)) {
    throw new HttpError(401, "ACCESS_TOKEN_INVALID");
  }
  const session = await prisma.session.findUnique({
    where: { id: sid },
    select: { userId: true, revokedAt: true, expiresAt: true },
  });
  if (!session || session.revokedAt || session.expiresAt <= new Date() || session.userId !== sub) {
    throw new HttpError(401, "SESSION_REVOKED");
  }
  return { userId: sub };
}

/** One transaction with the tenant (and user) set, as row-level security requires. */
function inTenant<T>(
  tenantId: string,
  userId: string,
  work: (tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0]) => Promise<T>,
) {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true)`;
    return work(tx);
  });
}

/** Newest first, keyset pagination: the cursor is the last row's `createdAt|id`, base64url. */
function page(query: Request["query"]) {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new HttpError(400, "VALIDATION_FAILED");
  let after = {};
  if (query.cursor !== undefined) {
    const [at, id, extra] = Buffer.from(String(query.cursor), "base64url").toString("utf8").split("|");
    const createdAt = new Date(at ?? "");
    if (extra !== undefined || !id || !uuid.test(id) || Number.isNaN(createdAt.getTime())) {
      throw new HttpError(400, "INVALID_CURSOR");
    }
    after = { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
  }
  const orderBy = [{ createdAt: "desc" as const }, { id: "desc" as const }];
  return { limit, after, orderBy, take: limit + 1 };
}

function pageOf<Row extends { createdAt: Date; id: string }, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item) {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items: rows.slice(0, limit).map(toItem),
    nextCursor: last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`, "utf8").toString("base64url") : null,
  };
}

const app = express();
app.disable("x-powered-by");
app.get("/health", (_req, res) => {
  res.json({ status: "ok" });
});

/** Storefront: anyone; the shop must be enabled for the tenant. */
app.get("/api/v1/modules/shop/products", async (req, res) => {
  const tenant = await requestTenant(req);
  const { limit, after, orderBy, take } = page(req.query);
  const categoryId = req.query.categoryId;
  if (categoryId !== undefined && (typeof categoryId !== "string" || !uuid.test(categoryId))) {
    throw new HttpError(400, "VALIDATION_FAILED");
  }
  const rows = await inTenant(tenant.id, "", async (tx) => {
    const shop = await tx.tenantModule.findUnique({
      where: { tenantId_moduleId: { tenantId: tenant.id, moduleId: "shop" } },
      select: { enabled: true },
    });
    if (!shop?.enabled) throw new HttpError(404, "MODULE_NOT_AVAILABLE");
    return tx.shopProduct.findMany({ where: { active: true, ...(categoryId ? { categoryId } : {}), ...after }, orderBy, take });
  });
  res.json(
    pageOf(rows, limit, (p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      priceMinor: p.priceMinor,
      currency: p.currency,
      images: p.images,
      categoryId: p.categoryId,
      inStock: p.stock > 0,
    })),
  );
});

/** Member: the caller's notifications in this tenant (the unread count is asked for apart, as in the product). */
app.get("/api/v1/tenant/notifications", async (req, res) => {
  const { userId } = await authenticate(req);
  const tenant = await requestTenant(req);
  const { limit, after, orderBy, take } = page(req.query);
  const unreadOnly = req.query.unreadOnly === "true";
  const rows = await inTenant(tenant.id, userId, async (tx) => {
    const member = await tx.tenantMember.findUnique({
      where: { tenantId_userId: { tenantId: tenant.id, userId } },
      select: { role: true },
    });
    if (!member) throw new HttpError(403, "NOT_A_MEMBER");
    return tx.notification.findMany({ where: { userId, ...(unreadOnly ? { readAt: null } : {}), ...after }, orderBy, take });
  });
  const entries = pageOf(rows, limit, (n) => ({
    id: n.id,
    source: n.source,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: n.data,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  }));
  res.json(entries);
});

app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
  if (error instanceof HttpError) {
    res.status(error.status).json({ code: error.code });
    return;
  }
  console.error(error);
  res.status(500).json({ code: "INTERNAL_SERVER_ERROR" });
});

const server = app.listen(Number(env.PORT ?? 3100), "127.0.0.1");
process.once("SIGTERM", () => server.close(() => void db.close().then(() => process.exit(0))));
