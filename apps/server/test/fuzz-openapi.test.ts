import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeDns } from "./support/fake-dns.ts";
import { inputsFor, type FuzzContext, type FuzzInput } from "./support/fuzz-inputs.ts";
import { operationsOf, type OpenApiDocument, type Operation } from "./support/fuzz-operations.ts";
import { createRandom, fuzzSeed } from "./support/fuzz-random.ts";
import { brokenInvariants } from "./support/fuzz-invariants.ts";
import { fuzzReport } from "./support/fuzz-report.ts";
import { inPool, inProcessSender, rawSender, type RawSender } from "./support/fuzz-send.ts";
import { tenantIds, tenantSnapshot } from "./support/fuzz-snapshot.ts";
import { fuzzWorld, type FuzzWorld } from "./support/fuzz-world.ts";
import { tenantEnv } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestBackend, type TestServer } from "./support/test-server.ts";

/**
 * Every operation of the OpenAPI document the server serves (walked, not listed) gets 200
 * seeded inputs derived from its schema, sent by the owner of a tenant with every module on:
 * wrong types, missing and extra fields, edge numbers, huge and unicode strings, lone
 * surrogates, deep nesting, dot segments in path parameters. No answer may be a 5xx, show a stack
 * trace or leave the error envelope; no tenant and no row the input did not name may go.
 * `FUZZ_SEED=<seed>` replays a run (the seed is printed).
 */

const inputsPerOperation = 200;
/**
 * At most eight requests in flight (the sender's sockets, when it uses them), from seven lanes
 * that each send one input at a time: an input sent twice at once (a race) finds its second
 * socket free. In-process (the default, see in-process-fetch.ts) the lanes alone set the pace.
 */
const lanes = 7;
const sockets = 8;

/**
 * Operations that end something the rest of the run stands on, fuzzed after everything else
 * and in this order, once the fuzzed tenant has been checked. They must exist (a rename would
 * otherwise move one into the main run unnoticed).
 */
const runLast: ReadonlyArray<[operation: string, why: string]> = [
  [
    "POST /tenant/modules/{moduleId}/disable",
    "switches modules off: every module operation after it would meet only the refusal",
  ],
  ["POST /tenant/leave", "an owner may leave once a fuzzed role change made another owner: then nothing of the tenant answers"],
  ["DELETE /tenant", "deletes the tenant X-Tenant names, the fuzzed one: every tenant operation after it answers 404"],
  ["POST /account/deletion", "deletes the caller's account, were an input ever to prove it"],
  ["POST /auth/sign-out", "ends the caller's session: every operation after it answers 401"],
  ["POST /auth/sign-out-everywhere", "ends every session of the caller: every operation after it answers 401"],
];

/**
 * PostgreSQL when it is there, PGlite otherwise (or with `TEST_BACKENDS=pglite`). Both halves
 * would double the file's time, past the minute it may take in CI, and PostgreSQL is where the
 * races are: PGlite has one connection, so two requests' transactions never interleave.
 */
function fuzzBackends(): TestBackend[] {
  const backends = testBackends();
  const postgres = backends.filter((backend) => backend.name === "postgres");
  return postgres.length > 0 ? postgres : backends;
}

describe.each(fuzzBackends())("fuzzing every operation of the OpenAPI document on $name", (backend) => {
  const seed = fuzzSeed();
  let server: TestServer;
  let world: FuzzWorld;
  let operations: Operation[];
  let sender: RawSender;
  const report = fuzzReport();
  const dns = fakeDns();

  beforeAll(async () => {
    console.log(`fuzz-openapi on ${backend.name}: seed ${seed} (replay with FUZZ_SEED=${seed})`);
    // Limits of one a minute per user (email codes) or sixty (orders) would answer most of an
    // operation's 200 inputs with 429, leaving it untested: raised a thousandfold here. Mail goes
    // to the log: through the test SMTP server each of ~190 codes cost a connection, a tenth of
    // the run, and no input changes what is mailed.
    const env = tenantEnv({ RATE_LIMIT_MULTIPLIER: "1000", MAIL_PROVIDER: "console" });
    server = await startTestServer(backend, env, { dns });
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    operations = operationsOf(document);
    world = await fuzzWorld(server, dns);
    sender = server.inProcess ? inProcessSender(server) : rawSender(server.url, sockets);
  });
  afterAll(async () => {
    sender?.close();
    await server?.stop();
  });

  async function send(operation: Operation, input: FuzzInput) {
    const headers = {
      authorization: `Bearer ${world.caller.token}`,
      "x-tenant": world.fuzzed.id,
    };
    const request = { method: operation.method, target: `/api/v1${input.target}`, headers, body: input.body };
    const answers = await Promise.all(Array.from({ length: input.copies ?? 1 }, () => sender.send(request)));
    for (const answer of answers) report.record(operation.name, input, answer);
  }

  const snapshotBystander = () => tenantSnapshot(server.db, world.bystander.id, world.bystander.userIds);

  it("walks a document with every operation there is", () => {
    expect(operations.length).toBeGreaterThan(50);
    const names = operations.map((o) => o.name);
    expect(runLast.map(([name]) => name).filter((name) => !names.includes(name))).toEqual([]);
  });

  it(`answers ${inputsPerOperation} hostile inputs to every operation with no 5xx, no stack trace, nothing lost`, async () => {
    const random = createRandom(seed);
    const context: FuzzContext = { random, pools: world.pools, foreign: world.foreign };
    const bystanderBefore = await snapshotBystander();
    const tenantsBefore = await tenantIds(server.db);
    const last = new Set(runLast.map(([name]) => name));
    const started = Date.now();

    // Interleaved, so operations race each other as in production. Deletes come in a second
    // wave: run with the rest, they would remove the rows the others' inputs name in seconds.
    const main = operations.filter((o) => !last.has(o.name));
    for (const wave of [main.filter((o) => o.method !== "DELETE"), main.filter((o) => o.method === "DELETE")]) {
      const jobs = wave.flatMap((operation) =>
        inputsFor(operation, inputsPerOperation, context).map((input) => ({ operation, input })),
      );
      await inPool(random.shuffle(jobs), lanes, ({ operation, input }) => send(operation, input));
    }

    // Every check is soft: one run reports all it found, each with the seed that replays it.
    const replay = `replay with FUZZ_SEED=${seed}`;
    const tenantsAfterMain = await tenantIds(server.db);
    const lostInMain = tenantsBefore.filter((id) => !tenantsAfterMain.includes(id));
    expect.soft(lostInMain, `tenants lost before the destructive operations (the fuzzed one included); ${replay}`).toEqual([]);
    expect.soft(await snapshotBystander(), `the bystander after the main run; ${replay}`).toEqual(bystanderBefore);
    expect.soft(await brokenInvariants(server.db), replay).toEqual([]);

    for (const [name] of runLast) {
      const operation = operations.find((o) => o.name === name)!;
      await inPool(inputsFor(operation, inputsPerOperation, context), lanes, (input) => send(operation, input));
    }
    // DELETE /tenant named the fuzzed tenant (X-Tenant); nothing named any other.
    const tenantsAfter = await tenantIds(server.db);
    const lost = tenantsBefore.filter((id) => !tenantsAfter.includes(id) && id !== world.fuzzed.id);
    expect.soft(lost, `tenants lost that no input named; ${replay}`).toEqual([]);
    expect.soft(await snapshotBystander(), `the bystander at the end; ${replay}`).toEqual(bystanderBefore);

    const counts = report.counts();
    const total = counts.reduce((n, c) => n + c.total, 0);
    console.log(
      `fuzz-openapi on ${backend.name}: ${total} inputs to ${counts.length} operations in ${Date.now() - started} ms (seed ${seed})\n${report.summary()}`,
    );
    expect.soft(counts.length).toBe(operations.length);
    expect.soft(counts.filter((c) => c.total < inputsPerOperation).map((c) => c.operation)).toEqual([]);
    expect.soft(report.describeFindings().join("\n\n"), replay).toBe("");
    // A limit that answers most inputs with 429 leaves the operation untested.
    expect.soft(counts.filter((c) => c.limited > c.total / 2).map((c) => c.operation)).toEqual([]);
  }, 240_000);
});
