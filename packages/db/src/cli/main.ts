/**
 * The project's migration CLI, on the WASM schema engine: no engine binary, no network.
 *   create --name <name>   write the next migration from schema.prisma
 *   migrate                apply pending migrations (after any other process migrating the database)
 *   status                 list pending, failed and edited migrations (exit 1 if not up to date)
 *   reset                  drop everything and re-apply (refused with NODE_ENV=production)
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { databaseEnvSchema, databaseOptionsFromEnv } from "../config.ts";
import { openDatabase, type Database } from "../database.ts";
import { findWorkspaceLayout } from "../workspace-layout.ts";
import {
  applyMigrations,
  createMigration,
  migrationStatus,
  resetDatabase,
  withMigrationLock,
  type MigrationLockEvents,
} from "../migrations/index.ts";

const layout = findWorkspaceLayout(import.meta.dirname);

const envSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
});

function readEnv() {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      console.error(`Invalid environment variable ${issue.path.join(".")}: ${issue.message}`);
    }
    process.exit(2);
  }
  return parsed.data;
}

/** What the commands say while another process (a starting server, another db:migrate) migrates. */
const lockEvents: MigrationLockEvents = {
  waiting: (holder) =>
    console.log(
      `Waiting for another process to finish migrating${holder ? ` (PostgreSQL pid ${holder.pid}, ${holder.application || "unnamed"})` : ""}…`,
    ),
  acquired: (waitedMs) => console.log(`It finished after ${(waitedMs / 1000).toFixed(1)} s; going on.`),
};

async function withDatabase(work: (db: Database, where: string) => Promise<void>) {
  const env = readEnv();
  const options = databaseOptionsFromEnv(env, layout.root);
  const where = options.url ? `PostgreSQL (${new URL(options.url).pathname.slice(1)})` : `PGlite (${options.dataDir})`;
  const db = await openDatabase(options);
  try {
    await work(db, where);
  } finally {
    await db.close();
  }
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  async create(args) {
    const { values } = parseArgs({ args, options: { name: { type: "string" } } });
    if (!values.name) {
      console.error("Usage: pnpm db:migrate:create --name <what_changed>");
      return 2;
    }
    const created = await createMigration(values.name, layout);
    if (!created) {
      console.log("The schema matches the migrations: nothing to create.");
      return 0;
    }
    console.log(`Created ${created.dir}/migration.sql\n\n${created.script}`);
    return 0;
  },

  async migrate() {
    await withDatabase(async (db, where) => {
      const applied = await withMigrationLock(db, () => applyMigrations(db, layout), lockEvents);
      console.log(
        applied.length ? `Applied to ${where}:\n${applied.map((n) => `  ${n}`).join("\n")}` : `${where} is up to date.`,
      );
    });
    return 0;
  },

  async status() {
    let code = 0;
    await withDatabase(async (db, where) => {
      const status = await migrationStatus(db, layout);
      const lines = [
        ...status.failed.map((n) => `  failed   ${n}  (fix it; the database rolled it back)`),
        ...status.inProgress.map((n) => `  applying ${n}  (another process is applying it now)`),
        ...status.pending.map((n) => `  pending  ${n}`),
        ...status.edited.map((n) => `  edited   ${n}  (changed after it was applied)`),
        ...status.unknown.map((n) => `  unknown  ${n}  (applied, but not on disk)`),
      ];
      if (lines.length === 0) {
        console.log(`${where} is up to date.`);
        return;
      }
      code = 1;
      console.log(`${where}:\n${lines.join("\n")}\nRun pnpm db:migrate to apply pending migrations.`);
    });
    return code;
  },

  async reset() {
    if (readEnv().NODE_ENV === "production") {
      console.error("db:reset drops every table; it refuses to run with NODE_ENV=production.");
      return 2;
    }
    await withDatabase(async (db, where) => {
      const applied = await withMigrationLock(
        db,
        async () => {
          await resetDatabase(db, layout);
          return applyMigrations(db, layout);
        },
        lockEvents,
      );
      console.log(`Reset ${where} and applied ${applied.length} migration(s).`);
    });
    return 0;
  },
};

const [command, ...args] = process.argv.slice(2);
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`Usage: tsx src/cli/main.ts <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
run(args).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
