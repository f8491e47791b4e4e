import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { ErrorDeclaration } from "./openapi/error-declaration.ts";
import { authenticate, checkSession, verifyBearer } from "./auth/authenticate.ts";
import type { Context } from "./context.ts";
import { AppError } from "./errors/app-errors.ts";
import { ForbiddenError } from "./errors/auth-errors.ts";
import { permissions, requirePermission, type MemberRole, type Permission } from "./tenancy/permissions.ts";
import { inTenantScope, resolveRequestTenant } from "./tenancy/tenant-scope-middleware.ts";
import { NotAMemberError } from "./tenancy/tenant-errors.ts";
import { genericErrorCodes } from "./errors/error-codes.ts";
import { InputValidationError, toTRPCError, type FieldIssue } from "./errors/to-trpc-error.ts";

/**
 * Procedure metadata. Every procedure carries `openapi` (so it is also served under
 * `/api/v1`) unless it sets `internal: true`, which the router test accepts as a deliberate
 * choice to stay tRPC-only.
 */
export type Meta = OpenApiMeta<{
  internal?: boolean;
  /**
   * Set by the tenant procedure builders; the isolation suite enumerates procedures by it.
   * `public`: anyone; `customer`: any signed-in user (not necessarily a member).
   */
  tenantScope?: "public" | "customer" | "member" | "admin";
  /**
   * Members only: the roles the builder lets through (from the permission map or the module's
   * manifest), and the permission that grants them. The role matrix test calls every tenant
   * procedure as each role and checks the answer against this.
   */
  roles?: readonly MemberRole[];
  permission?: string;
  /** Set by `platformAdminProcedure`: platform operators only. */
  platformAdminOnly?: boolean;
  /** The module whose router the procedure belongs to (set by the module procedure builders). */
  module?: string;
  /** Set by `tenantVisitorProcedure`: no sign-in needed, but a token, when sent, is checked and used. */
  acceptsToken?: boolean;
  /** App codes the procedure itself can answer with (see `ErrorDeclaration`). */
  errors?: ErrorDeclaration;
  /** Creates something: its REST route answers `201 Created`. */
  created?: boolean;
}>;

/** The error `data` every client gets, over tRPC and REST alike. */
export interface ErrorData {
  /** Stable, machine-readable; switch on this, not on the message. */
  appCode: string;
  httpStatus: number;
  /** Present for input validation failures: which fields, and why. */
  issues?: FieldIssue[];
  path?: string;
  stack?: string;
}

/** The `data.appCode` a caller receives for `error`. */
function appCodeOf(error: TRPCError): string {
  const cause = error.cause;
  return cause instanceof AppError || cause instanceof InputValidationError
    ? cause.code
    : (genericErrorCodes[error.code] ?? error.code);
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // tRPC would add stacks whenever NODE_ENV is not production; the formatter below adds
    // them only when the server's config says this is development.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const exposeDetails = ctx?.settings.exposeErrorDetails === true;
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const data: ErrorData = {
        appCode: appCodeOf(error),
        httpStatus: shape.data.httpStatus,
        ...(cause instanceof InputValidationError ? { issues: cause.issues } : {}),
        ...(shape.data.path ? { path: shape.data.path } : {}),
        ...(exposeDetails && error.stack ? { stack: error.stack } : {}),
      };
      return {
        code: shape.code,
        message: internal && !exposeDetails ? "Internal server error." : shape.message,
        data,
      };
    },
  });

/**
 * Runs around every procedure (input parsing included) and maps failures once: domain and
 * database errors to their codes, zod issues to field messages. Unknown errors stay internal;
 * the transports log them (their `onError`), with errors raised before any procedure ran.
 * The context's observer, when there is one, hears every call's outcome and duration.
 */
const mapErrors = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const span = ctx.tracer?.startSpan(
    `procedure ${path}`,
    { attributes: { "tenantry.procedure": path, "tenantry.procedure_type": type, "tenantry.request_id": ctx.requestId } },
    ctx.traceContext ?? context.active(),
  );
  const finished = (appCode: string | undefined) => {
    ctx.observer?.procedureFinished({
      path,
      transport: ctx.transport,
      appCode,
      durationSeconds: (performance.now() - started) / 1000,
    });
    if (span && appCode) {
      span.setAttribute("tenantry.app_code", appCode);
      span.setStatus({ code: SpanStatusCode.ERROR, message: appCode });
    }
    span?.end();
  };
  // The procedure's own work (database statements among it) runs inside its span.
  const parent = ctx.traceContext ?? context.active();
  const result = await (span ? context.with(trace.setSpan(parent, span), () => next()) : next());
  if (result.ok) {
    finished(undefined);
    return result;
  }
  const error = toTRPCError(result.error);
  finished(appCodeOf(error));
  throw error;
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** No sign-in required. */
export const publicProcedure = t.procedure.use(mapErrors);

/** A signed-in user with a live session; `ctx.actor` says who. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => next({ ctx: { actor: await authenticate(ctx) } }));

/** Platform operators only (`platformRole = admin`). */
export const platformAdminProcedure = authedProcedure.meta({ platformAdminOnly: true }).use(({ ctx, next }) => {
  if (ctx.actor.role !== "admin") {
    throw new ForbiddenError("PLATFORM_ADMIN_ONLY", "Only platform admins may do this.");
  }
  return next();
});

/**
 * A resolved tenant (domain, subdomain or `X-Tenant`), no sign-in needed: e.g. a storefront.
 * `ctx.tenantDb` reaches only this tenant's rows.
 */
export const tenantProcedure = publicProcedure.meta({ tenantScope: "public" }).use(async ({ ctx, next }) => {
  const tenant = await resolveRequestTenant(ctx);
  return inTenantScope(ctx, tenant, undefined, (tenantContext) => next({ ctx: tenantContext }));
});

/**
 * A resolved tenant, signed in or not: a storefront that greets a signed-in visitor.
 * `ctx.actor` is set when a token came (and a bad token is refused, not ignored).
 */
export const tenantVisitorProcedure = publicProcedure
  .meta({ tenantScope: "public", acceptsToken: true })
  .use(async ({ ctx, next }) => {
    const claims = ctx.authorization ? await verifyBearer(ctx) : undefined;
    const tenant = await resolveRequestTenant(ctx);
    return inTenantScope(ctx, tenant, claims?.userId, async (tenantContext) => {
      const actor = claims ? (await checkSession(tenantContext.tenantDb, ctx, claims, tenant.id)).actor : undefined;
      return next({ ctx: { ...tenantContext, actor } });
    });
  });

/*
 * The signed-in tenant builders verify the token before anything else (a bad one is a 401
 * whatever the tenant), then check its session inside the tenant's transaction, in the same
 * query that reads the caller's membership: one round trip for who calls and in what role.
 */

/** A resolved tenant and any signed-in user, member or not: e.g. a shop's customer. */
export const tenantCustomerProcedure = publicProcedure.meta({ tenantScope: "customer" }).use(async ({ ctx, next }) => {
  const claims = await verifyBearer(ctx);
  const tenant = await resolveRequestTenant(ctx);
  return inTenantScope(ctx, tenant, claims.userId, async (tenantContext) => {
    const { actor } = await checkSession(tenantContext.tenantDb, ctx, claims, tenant.id);
    return next({ ctx: { ...tenantContext, actor } });
  });
});

const everyRole: readonly MemberRole[] = ["owner", "admin", "member"];

/** A signed-in member of the resolved tenant; `ctx.membership.role` says which role. */
export const tenantMemberProcedure = publicProcedure
  .meta({ tenantScope: "member", roles: everyRole })
  .use(async ({ ctx, next }) => {
    const claims = await verifyBearer(ctx);
    const tenant = await resolveRequestTenant(ctx);
    return inTenantScope(ctx, tenant, claims.userId, async (tenantContext) => {
      const { actor, memberRole } = await checkSession(tenantContext.tenantDb, ctx, claims, tenant.id);
      if (!memberRole) throw new NotAMemberError();
      return next({ ctx: { ...tenantContext, actor, membership: { role: memberRole } } });
    });
  });

/** An owner or admin of the resolved tenant. */
export const tenantAdminProcedure = tenantMemberProcedure
  .meta({ tenantScope: "admin", roles: ["owner", "admin"] })
  .use(({ ctx, next }) => {
    if (ctx.membership.role === "member") {
      throw new ForbiddenError("TENANT_ADMIN_ONLY", "Only the tenant's owners and admins may do this.");
    }
    return next();
  });

/**
 * A member whose role the permission map (tenancy/permissions.ts) grants `permission`: the
 * rule lives here, in the builder, so no service has to remember it. Refused with 403
 * PERMISSION_DENIED before the input is read.
 */
export function tenantPermissionProcedure(permission: Permission) {
  return tenantMemberProcedure.meta({ roles: permissions[permission], permission }).use(({ ctx, next }) => {
    requirePermission(ctx.membership.role, permission);
    return next();
  });
}

export { TRPCError };
