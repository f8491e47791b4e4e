import type { PGlite } from "@electric-sql/pglite";
import { openPglite } from "../connection/pglite.ts";
import { emptyForReuse, templateFingerprint, type RunSql } from "./database-reuse.ts";
import { migratedPgliteSnapshot } from "./migrated-templates.ts";

/** Emptied instances of this process, ready for the next test (see database-reuse.ts). */
const ready: PGlite[] = [];
let fingerprint: Promise<string | undefined> | undefined;

const sqlOn =
  (pglite: PGlite): RunSql =>
  async (sql) =>
    (await pglite.query<Record<string, unknown>>(sql)).rows;

/** A migrated PGlite of its own: an emptied one handed back earlier, or a new one from the snapshot. */
export async function takeMigratedPglite(): Promise<PGlite> {
  const reused = ready.pop();
  if (reused) return reused;
  const pglite = await openPglite("memory://", await migratedPgliteSnapshot());
  fingerprint ??= templateFingerprint(sqlOn(pglite));
  await fingerprint;
  return pglite;
}

/**
 * Takes back an instance its test is done with: emptied and kept for the next test when its
 * catalog is still the template's, closed otherwise (or when it cannot be emptied: a
 * transaction left open, an instance already closed).
 */
export async function handBackPglite(pglite: PGlite): Promise<void> {
  if (pglite.closed) return;
  try {
    // What the last user left in the one session goes: the role the server took, settings,
    // prepared statements, advisory locks, temporary tables.
    await pglite.exec("DISCARD ALL");
    if (await emptyForReuse(sqlOn(pglite), await fingerprint)) {
      ready.push(pglite);
      return;
    }
  } catch {
    // Not reusable; closed below like any other.
  }
  await pglite.close().catch(() => {});
}
