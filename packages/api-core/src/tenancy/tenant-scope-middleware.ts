import { withTenantScope, type DbClient, type TenantDb, type TenantIdentity } from "@tenantry/db";
import type { Logger } from "pino";
import type { Context } from "../context.ts";
import { TenantRequiredError, TenantSuspendedError } from "./tenant-errors.ts";

export interface TenantContext {
  tenant: TenantIdentity;
  /** The only way to tenant-owned data: every query runs with this tenant set. */
  tenantDb: TenantDb;
  /**
   * Work to do if the procedure fails and its transaction rolls back, in a fresh transaction
   * of the same tenant: a record of the failure that must outlive the rollback.
   */
  afterRollback(work: (tenantDb: TenantDb) => Promise<unknown>): void;
  /**
   * Work to do once the transaction has committed, and only then: telling caches (here and on
   * other instances) that what they hold changed. Done inside the transaction, a request running
   * in between could re-cache the old value for a whole TTL.
   */
  afterCommit(work: () => void | Promise<void>): void;
}

export async function resolveRequestTenant(ctx: Context): Promise<TenantIdentity> {
  const tenant = await ctx.tenancy.resolver.resolve({ host: ctx.host, header: ctx.tenantHeader });
  if (!tenant) throw new TenantRequiredError();
  if (tenant.status !== "active") throw new TenantSuspendedError();
  return tenant;
}

/**
 * Runs the rest of the procedure inside one tenant-scoped transaction. A failed procedure must
 * roll back, so a failed result is rethrown here (tRPC's `next()` reports failure as a value).
 */
export async function inTenantScope<T extends { ok: boolean }>(
  ctx: Context,
  tenant: TenantIdentity,
  userId: string | undefined,
  next: (tenantContext: TenantContext) => Promise<T>,
): Promise<T> {
  return inTenantTransaction(ctx.db, ctx.log, tenant, userId, async (tenantContext) => {
    const result = await next(tenantContext);
    if (!result.ok) throw (result as unknown as { error: unknown }).error;
    return result;
  });
}

/**
 * One transaction of `tenant`. If `work` throws, everything rolls back, then what it asked for
 * with `afterRollback` is written in a fresh transaction of the same tenant (a failure's record
 * must outlive the rollback), and the error is rethrown. If it succeeds, what it asked for with
 * `afterCommit` runs once the commit is done. Also for work outside a request.
 */
export async function inTenantTransaction<T>(
  db: DbClient,
  log: Logger,
  tenant: TenantIdentity,
  userId: string | undefined,
  work: (tenantContext: TenantContext) => Promise<T>,
): Promise<T> {
  const scope = { tenantId: tenant.id, userId };
  const onRollback: Array<(tenantDb: TenantDb) => Promise<unknown>> = [];
  const onCommit: Array<() => void | Promise<void>> = [];
  let result: T;
  try {
    result = await withTenantScope(db, scope, (tenantDb) =>
      work({
        tenant,
        tenantDb,
        afterRollback: (record) => onRollback.push(record),
        afterCommit: (task) => onCommit.push(task),
      }),
    );
  } catch (error) {
    if (onRollback.length > 0) {
      await withTenantScope(db, scope, async (tenantDb) => {
        for (const record of onRollback) await record(tenantDb);
      }).catch((failure: unknown) => log.error({ err: failure }, "recording a failure after rollback failed"));
    }
    throw error;
  }
  for (const task of onCommit) {
    // The change is committed: a failing follow-up is logged, never turned into a failure.
    await Promise.resolve()
      .then(task)
      .catch((failure: unknown) => log.error({ err: failure }, "work after a committed tenant change failed"));
  }
  return result;
}
