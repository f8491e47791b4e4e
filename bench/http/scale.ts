import type { BenchEnvironment } from "./environment.ts";
import { interleavedRounds, type Target } from "./load.ts";
import type { BenchOptions } from "./options.ts";
import { median, table } from "./report.ts";
import { topUpNotifications, type SeededTenant } from "./seed.ts";
import type { BenchDatabase } from "./database.ts";
import { checkSameAnswers, memberRead } from "./targets.ts";

const sizes = [1_000, 1_000_000];

/** The position after row `offset` (newest first), encoded as the API encodes its cursors. */
async function cursorAfterRow(db: BenchDatabase, tenant: SeededTenant, offset: number): Promise<string> {
  const [row] = await db.ownerSql((query) =>
    query<{ created_at: Date; id: string }>(
      `select created_at, id::text from notifications where tenant_id = $1::uuid and user_id = $2::uuid
        order by created_at desc, id desc offset $3 limit 1`,
      [tenant.tenantId, tenant.userId, offset],
    ),
  );
  return Buffer.from(`${row!.created_at.toISOString()}|${row!.id}`, "utf8").toString("base64url");
}

/** Our cursor for row 20 must be the one the API itself returns after the first page. */
async function expectApiCursor(target: Target, expected: string) {
  const res = await fetch(target.url, { headers: await target.headers() });
  const { nextCursor } = (await res.json()) as { nextCursor: string | null };
  if (nextCursor !== expected) throw new Error(`the API's cursor ${nextCursor} is not ${expected}: encoding changed?`);
}

/**
 * EXPLAIN ANALYZE of the member read's two queries as the application runs them: as the app role,
 * tenant set, row-level security adding `tenant_id = app_tenant_id()`. The SQL is the equivalent
 * of what Prisma sends (same predicates, order and limit).
 */
async function explain(db: BenchDatabase, tenant: SeededTenant, cursor: string): Promise<string[]> {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const queries = {
    "first page": `select * from notifications where user_id = '${tenant.userId}' order by created_at desc, id desc limit 21`,
    "page at N/2": `select * from notifications where user_id = '${tenant.userId}'
        and (created_at < '${at}' or (created_at = '${at}' and id < '${id}')) order by created_at desc, id desc limit 21`,
    "unread count": `select count(*) from notifications where user_id = '${tenant.userId}' and read_at is null`,
  };
  return db.ownerSql(async (query) => {
    const lines: string[] = [];
    for (const [name, sql] of Object.entries(queries)) {
      await query("begin");
      await query("set local role tenantry_app");
      await query("select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)", [
        tenant.tenantId,
        tenant.userId,
      ]);
      const plan = await query<{ "QUERY PLAN": string }>(`explain (analyze, buffers, costs off) ${sql}`);
      await query("rollback");
      // The planner's own buffers and time are noise here; the plan and its execution time are not.
      const shown = plan
        .map((r) => r["QUERY PLAN"])
        .filter((l, i, all) => !/^Planning/.test(l) && !/^Planning:/.test(all[i - 1] ?? ""));
      lines.push(`  ${name}:`, ...shown.map((l) => `    ${l}`));
    }
    return lines;
  });
}

/**
 * The member read with 1,000 and then 1,000,000 notifications in the tenant's table (all the
 * member's: the worst case for them), the first page and a page half-way down reached with a
 * cursor. Keyset pagination should make both pages cost the same at both sizes; the p50 ratio
 * says whether it does. Sizes cannot be interleaved (the rows stay), targets are.
 */
export async function scaleStep(env: BenchEnvironment, options: BenchOptions, log: (line: string) => void) {
  const { db, tenant } = env.products[0]!;
  const base = env.targets.filter((t) => t.read === memberRead && (t.transport === "hand-written" || t.transport === "REST"));
  // One client: p50 is then what one request costs, not how long it queued behind 31 others
  // (at a million rows a few slow requests would occupy the whole pool).
  const load = { connections: options.scaleConnections, duration: options.duration };
  const perSize = new Map<number, Map<string, { p50: number; rps: number }>>();
  for (const size of sizes) {
    log(`\n${env.backend}: ${size.toLocaleString("en")} notifications for the member; writing them…`);
    await topUpNotifications(db, tenant, size);
    const cursor = await cursorAfterRow(db, tenant, size / 2 - 1);
    await expectApiCursor(
      base.find((t) => t.transport === "REST")!,
      await cursorAfterRow(db, tenant, 19),
    );
    const targets: Target[] = base.flatMap((t) => [
      { ...t, read: "member, first page" },
      { ...t, read: "member, page at N/2", url: `${t.url}&cursor=${cursor}` },
    ]);
    await checkSameAnswers(targets);
    const results = await interleavedRounds(targets, options.rounds, load, log);
    perSize.set(
      size,
      new Map(
        [...results].map(([t, runs]) => [
          `${t.read}|${t.transport}`,
          { p50: median(runs.map((r) => r.p50)), rps: median(runs.map((r) => r.rps)) },
        ]),
      ),
    );
    log(`  plans at ${size.toLocaleString("en")}:`);
    for (const line of await explain(db, tenant, cursor)) log(line);
  }
  const small = perSize.get(sizes[0]!)!;
  const large = perSize.get(sizes[1]!)!;
  const rows = [...small.keys()].map((key) => {
    const [read, transport] = key.split("|") as [string, string];
    const a = small.get(key)!;
    const b = large.get(key)!;
    // No answer within the run at all: no p50 to show.
    const p50 = (x: { p50: number; rps: number }) => (x.rps > 0 ? x.p50.toFixed(1) : "-");
    const ratio = a.rps > 0 && b.rps > 0 ? (b.p50 / a.p50).toFixed(1) : "-";
    // autocannon's latencies are whole milliseconds; with one client, 1/req/s is the finer measure.
    const costRatio = a.rps > 0 && b.rps > 0 ? (a.rps / b.rps).toFixed(1) : "-";
    return [read, transport, p50(a), p50(b), ratio, a.rps.toFixed(1), b.rps.toFixed(1), costRatio];
  });
  log(
    `\n${env.backend}: member read, 1,000 vs 1,000,000 notifications (${load.connections} connection${load.connections === 1 ? "" : "s"})`,
  );
  log(
    table(
      ["read", "transport", "p50 ms @1k", "p50 ms @1M", "p50 × (1M/1k)", "req/s @1k", "req/s @1M", "time/req × (1M/1k)"],
      rows,
    ),
  );
}
