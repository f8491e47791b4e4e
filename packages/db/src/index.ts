export { openDatabase, type Database, type DbClient } from "./database.ts";
export type { PoolStats } from "./connection/types.ts";
export type { QueryObserver } from "./connection/timed-adapter.ts";
export { databaseEnvSchema, databaseOptionsFromEnv, type DatabaseEnv, type DatabaseOptions } from "./config.ts";
export {
  ForeignKeyConstraintError,
  RecordNotFoundError,
  UniqueConstraintError,
  UnstorableValueError,
  WriteConflictError,
} from "./errors.ts";
export { DatabaseUnavailableError, isDatabaseUnavailable } from "./unavailable.ts";
export { withTenantScope, withUserScope, type TenantDb, type TenantScope } from "./tenant-scope.ts";
export { purgeAuditEvents, withPlatformAuditScope } from "./audit-events.ts";
export {
  findInvitationTenant,
  findTenantByDomain,
  findTenantByReference,
  isDomainTaken,
  lockSoleOwnedTenants,
  releaseStaleDomainClaim,
  type TenantIdentity,
} from "./tenant-lookup.ts";
export { seedDatabase, demoTenantSlug, type SeedOptions } from "./seed.ts";
export type * from "./generated/prisma/client.ts";
