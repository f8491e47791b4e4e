import { migrationNamesOnDisk } from "@tenantry/db/migrations";
import pg from "pg";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { startServer } from "../support/server-under-test.ts";
import type { RunningServer } from "../../src/server.ts";
import { testBackends, testConfig } from "../support/test-server.ts";

const postgres = testBackends().find((b) => b.name === "postgres");
const instances = 4;

interface MigrationRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Instances of a deployment start together on a database nobody has migrated yet: one of
 * them must migrate while the others wait for it, and then all of them serve. PostgreSQL only:
 * an embedded PGlite belongs to one process, so there is nobody to race.
 *
 * The instances start in this process (each with its own pools, so its own database sessions,
 * exactly what separate processes would have): they start at the same instant, which spawned
 * processes on a busy two-core machine would not (each spends seconds loading its code first).
 */
describe.runIf(postgres)("instances starting at once on a fresh database (PostgreSQL)", () => {
  it(`${instances} starts: all ready, every migration applied exactly once`, { timeout: 300_000 }, async () => {
    const database = await postgres!.create({ empty: true });
    const running: RunningServer[] = [];
    const lines: Array<{ instance: number; msg?: string; holder?: { application?: string } }> = [];
    try {
      const starts = await Promise.allSettled(
        Array.from({ length: instances }, (_, instance) => {
          const config = testConfig(database);
          // Each instance's log lines, to see who migrated and who waited.
          const logger = pino(
            { level: "info" },
            {
              write: (line: string) =>
                lines.push({ instance, ...(JSON.parse(line) as Omit<(typeof lines)[number], "instance">) }),
            },
          );
          return startServer(config, logger).then((server) => {
            running.push(server);
            return server;
          });
        }),
      );
      const failures = starts.flatMap((s, i) => (s.status === "rejected" ? [`instance ${i}: ${String(s.reason)}`] : []));
      expect(failures).toEqual([]);

      for (const server of running) {
        const ready = await fetch(`${server.url}/ready`);
        expect(ready.status, await ready.clone().text()).toBe(200);
      }

      const onDisk = await migrationNamesOnDisk(testConfig(database).schema);
      const client = new pg.Client({ connectionString: database.options.url });
      await client.connect();
      try {
        const { rows } = await client.query<MigrationRow>(
          "select migration_name, finished_at, rolled_back_at from _prisma_migrations order by migration_name",
        );
        expect(rows.map((r) => r.migration_name)).toEqual(onDisk);
        expect(rows.filter((r) => r.finished_at === null || r.rolled_back_at !== null)).toEqual([]);
      } finally {
        await client.end();
      }
      // One instance applied them. Those that found the lock taken said who held it, and that
      // they went on once they had it.
      expect(lines.filter((l) => l.msg === "applied pending migrations")).toHaveLength(1);
      const waited = lines.filter((l) => l.msg?.startsWith("waiting for another instance to finish migrating"));
      expect(waited.length).toBeGreaterThan(0);
      for (const line of waited) {
        expect(line.holder?.application).toMatch(/^tenantry migrations: .+ pid \d+$/);
        expect(lines).toContainEqual(expect.objectContaining({ instance: line.instance, msg: "got the migration lock" }));
      }
    } finally {
      await Promise.all(running.map((server) => server.close()));
      await database.drop();
    }
  });
});
