import type { Database } from "@tenantry/db";

/**
 * Everything the database holds for one tenant, as JSON text: its row, every row of every
 * table with a `tenant_id` column (found in the catalogue, so a new module's tables are
 * included), and the rows of the given users. Read with the owner's rights, past row-level
 * security, so nothing is hidden; two snapshots are equal only if not a byte changed.
 */
export async function tenantSnapshot(
  db: Database,
  tenantId: string,
  userIds: readonly string[],
): Promise<Record<string, string>> {
  return db.withOwner(async (owner) => {
    const rowsOf = async (sql: string, ...values: unknown[]) => {
      const [row] = await owner.$queryRawUnsafe<Array<{ rows: string }>>(sql, ...values);
      return row?.rows ?? "[]";
    };
    const tables = await owner.$queryRawUnsafe<Array<{ table_name: string }>>(
      `select table_name from information_schema.columns
        where table_schema = current_schema() and column_name = 'tenant_id' order by table_name`,
    );
    const snapshot: Record<string, string> = {
      tenants: await rowsOf(`select coalesce(json_agg(t)::text, '[]') as rows from tenants t where id = $1::uuid`, tenantId),
    };
    for (const { table_name: table } of tables) {
      snapshot[table] = await rowsOf(
        `select coalesce(json_agg(t order by t::text)::text, '[]') as rows from "${table}" t where tenant_id = $1::uuid`,
        tenantId,
      );
    }
    for (const userId of userIds) {
      snapshot[`users/${userId}`] = await rowsOf(
        `select coalesce(json_agg(u)::text, '[]') as rows from users u where id = $1::uuid`,
        userId,
      );
    }
    return snapshot;
  });
}

/** The ids of every tenant there is. */
export async function tenantIds(db: Database): Promise<string[]> {
  const rows = await db.withOwner((owner) =>
    owner.$queryRawUnsafe<Array<{ id: string }>>(`select id::text as id from tenants order by id`),
  );
  return rows.map((row) => row.id);
}
