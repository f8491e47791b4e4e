import type { DatabaseSession } from "../connection/types.ts";

/** The session holding an advisory lock, as far as `pg_stat_activity` tells. */
export interface LockHolder {
  /** The holder's server process id (`pg_terminate_backend` takes it). */
  pid: number;
  /** Its `application_name`: Tenantry's sessions name the host and process. */
  application: string | null;
  client: string | null;
  connectedAt: Date | null;
}

/**
 * The session (other than `session` itself) that holds advisory lock `key` in this database, if
 * any. A `bigint` key shows in `pg_locks` split in two halves, with `objsubid` 1.
 */
export async function advisoryLockHolder(session: DatabaseSession, key: number): Promise<LockHolder | undefined> {
  const rows = await session.query<LockHolder>(
    `select a.pid, a.application_name as application, a.client_addr::text as client, a.backend_start as "connectedAt"
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.database = (select oid from pg_database where datname = current_database())
        and (l.classid::bigint << 32) + l.objid::bigint = $1::bigint
        and l.pid <> pg_backend_pid()`,
    [key],
  );
  return rows[0];
}
