import { randomBytes, randomUUID } from "node:crypto";
import { appRouter, listProcedures, type Meta } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeDns, type FakeDns } from "./support/fake-dns.ts";
import { uniqueEmail } from "./support/sign-up.ts";
import {
  buildWorld,
  createTenant,
  enableModuleIn,
  publicValuesOfB,
  isolationFixtures,
  privateValuesOfB,
  restCall,
  restOk,
  snapshotOfB,
  type IsolationCase,
  type TenantRef,
  type World,
} from "./support/isolation-fixtures.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";

/**
 * The tenant isolation suite. Every procedure that reaches tenant data is found by walking the
 * router, then attacked as the owner of tenant A: with B named in `X-Tenant` (slug, id, other
 * spellings), in the tenant host, over tRPC and REST, and in A's own tenant with B's ids in the
 * input. Each attack must be refused and answer nothing of B's; B, as its owner sees it, must
 * be exactly as before.
 */

type Scope = NonNullable<Meta["tenantScope"]>;

interface EnumeratedProcedure {
  path: string;
  type: string;
  scope: Scope | undefined;
  /** The module whose router it belongs to. */
  module: string | undefined;
  openapi: { method: string; path: string } | undefined;
}

const allProcedures: EnumeratedProcedure[] = listProcedures(appRouter).map(({ path, type, meta }) => ({
  path,
  type,
  scope: meta?.tenantScope,
  module: meta?.module,
  openapi: meta?.openapi ? { method: meta.openapi.method, path: meta.openapi.path } : undefined,
}));

/**
 * REST paths that address a tenant: `/tenant/...` (the tenant the request is for) and
 * `/tenants/{id}/...` (a tenant named in the path). A procedure there without a tenant
 * procedure builder would reach tenant data around the membership check.
 */
const tenantRestPath = /^\/tenant(\/|$)|^\/tenants\/\{/;

const tenantScoped = allProcedures.filter((p) => p.scope !== undefined || tenantRestPath.test(p.openapi?.path ?? ""));

/**
 * A module's storefront procedures and any customer procedure serve non-members of B by
 * design (B's shop is public; anyone signed in may buy there). Calls naming B get the answer
 * the fixture's `inB` states, and must still carry nothing private of B.
 */
const answersInB = (p: EnumeratedProcedure) => (p.scope === "public" && p.module !== undefined) || p.scope === "customer";

const fixtureFile = "apps/server/test/support/isolation-fixtures.ts";

describe("tenant-scoped procedures, enumerated from the router", () => {
  it("finds the tenant procedures (the walk over the router works)", () => {
    const paths = tenantScoped.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(["tenants.public", "tenants.get", "tenants.members.list", "tenants.domains.remove"]),
    );
    expect(allProcedures.find((p) => p.path === "tenants.create")?.scope).toBeUndefined();
  });

  it("every procedure under a tenant REST path is built on a tenant procedure builder", () => {
    const unscoped = tenantScoped
      .filter((p) => p.scope === undefined)
      .map(
        (p) =>
          `${p.path} (${p.openapi?.method} ${p.openapi?.path}) reaches tenant data without meta.tenantScope: build it on tenantProcedure / tenantMemberProcedure / tenantAdminProcedure`,
      );
    expect(unscoped).toEqual([]);
  });

  it("every tenant-scoped procedure has an isolation fixture", () => {
    const missing = tenantScoped
      .filter((p) => !Object.hasOwn(isolationFixtures, p.path))
      .map((p) => `add an isolation fixture for ${p.path} in ${fixtureFile}`);
    expect(missing).toEqual([]);
  });

  it("every isolation fixture names a tenant-scoped procedure that exists", () => {
    const scoped = new Set(tenantScoped.map((p) => p.path));
    const stale = Object.keys(isolationFixtures)
      .filter((path) => !scoped.has(path))
      .map((path) => `the isolation fixture for ${path} names no tenant-scoped procedure: remove it from ${fixtureFile}`);
    expect(stale).toEqual([]);
  });

  it("every tenant-scoped procedure is a query or a mutation (the suite calls nothing else)", () => {
    const other = tenantScoped.filter((p) => p.type !== "query" && p.type !== "mutation").map((p) => `${p.path}: ${p.type}`);
    expect(other).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Calling procedures over HTTP.

interface Outcome {
  status: number;
  /** `appCode` of an error answer. */
  appCode: string | undefined;
  /** The result of a 2xx answer. */
  data: unknown;
  /** The raw body, searched for B's data. */
  text: string;
}

interface Caller {
  token?: string | undefined;
  tenant?: string | undefined;
  headers?: Record<string, string>;
}

function requestHeaders(caller: Caller): Record<string, string> {
  const headers: Record<string, string> = { ...caller.headers };
  if (caller.token) headers.authorization = `Bearer ${caller.token}`;
  if (caller.tenant !== undefined) headers["x-tenant"] = caller.tenant;
  return headers;
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** `GET /trpc/<path>?input=…` for queries, `POST /trpc/<path>` for mutations. */
async function callTrpc(baseUrl: string, procedure: EnumeratedProcedure, input: unknown, caller: Caller): Promise<Outcome> {
  const headers = requestHeaders(caller);
  let res: Response;
  if (procedure.type === "query") {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    res = await fetch(`${baseUrl}/trpc/${procedure.path}${query}`, { headers });
  } else {
    res = await fetch(`${baseUrl}/trpc/${procedure.path}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      ...(input === undefined ? {} : { body: JSON.stringify(input) }),
    });
  }
  const text = await res.text();
  const body = parse(text) as { result?: { data?: unknown }; error?: { data?: { appCode?: string } } } | undefined;
  return { status: res.status, appCode: body?.error?.data?.appCode, data: body?.result?.data, text };
}

/** The same procedure through the OpenAPI bridge: path parameters from the input, the rest as query or body. */
async function callRest(baseUrl: string, procedure: EnumeratedProcedure, input: unknown, caller: Caller): Promise<Outcome> {
  const { method, path } = procedure.openapi!;
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown> | undefined) };
  const filled = path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  const headers = requestHeaders(caller);
  let url = `${baseUrl}/api/v1${filled}`;
  let body: string | undefined;
  if (method === "GET" || method === "DELETE") {
    const query = new URLSearchParams(Object.entries(rest).map(([k, v]): [string, string] => [k, String(v)])).toString();
    if (query) url += `?${query}`;
  } else {
    headers["content-type"] = "application/json";
    body = JSON.stringify(rest);
  }
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const parsed = parse(text) as { data?: { appCode?: string } } | undefined;
  const isError = res.status >= 400;
  return { status: res.status, appCode: isError ? parsed?.data?.appCode : undefined, data: isError ? undefined : parsed, text };
}

const show = (outcome: Outcome) => `${outcome.status} ${outcome.text.slice(0, 300)}`;

/**
 * Collects every problem of one procedure, so a failure lists all the attacks that got through
 * rather than the first.
 */
class Findings {
  readonly problems: string[] = [];
  constructor(
    private readonly world: World,
    private readonly path: string,
  ) {}

  expectAnswer(attack: string, outcome: Outcome, expected: { status: number; appCode?: string }) {
    const statusOk = outcome.status === expected.status;
    const codeOk = expected.appCode === undefined || outcome.appCode === expected.appCode;
    if (!statusOk || !codeOk) {
      this.problems.push(
        `${this.path} [${attack}]: expected ${expected.status}${expected.appCode ? ` ${expected.appCode}` : ""}, got ${show(outcome)}`,
      );
    }
  }

  /**
   * No private value of B in the body, unless the caller sent it (an error message may echo the
   * id it was given) or it is one of `allowed` (B's public face on public procedures).
   */
  expectNoDataOfB(attack: string, outcome: Outcome, sent: unknown, allowed: ReadonlySet<string> = new Set()) {
    const request = JSON.stringify(sent ?? null).toLowerCase();
    const body = outcome.text.toLowerCase();
    for (const { label, value } of privateValuesOfB(this.world)) {
      const needle = value.toLowerCase();
      if (allowed.has(value) || request.includes(needle)) continue;
      if (body.includes(needle)) this.problems.push(`${this.path} [${attack}]: the answer contains ${label}: ${show(outcome)}`);
    }
  }
}

const publicFace = (tenant: TenantRef) => ({ id: tenant.id, slug: tenant.slug, name: tenant.name });

// ---------------------------------------------------------------------------------------------

describe.each(testBackends())("tenant isolation on $name", (backend) => {
  let server: TestServer;
  let dns: FakeDns;
  let world: World;
  let bBefore: Record<string, unknown>;

  beforeAll(async () => {
    dns = fakeDns();
    // One trusted proxy hop: each account of the world registers from its own X-Forwarded-For.
    server = await startTestServer(backend, { TRUST_PROXY_HOPS: "1" }, { dns });
    world = await buildWorld(server.url, dns);
    bBefore = await snapshotOfB(server.url, world);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the world is as the attacks assume: A and B populated, B's domain verified and serving B", async () => {
    const asOwnerB = { token: world.ownerB.accessToken, tenant: world.b.slug };
    const members = await restOk<Array<{ userId: string; role: string }>>(server.url, "GET", "/tenant/members", asOwnerB);
    expect(members.map((m) => [m.userId, m.role])).toEqual([
      [world.ownerB.userId, "owner"],
      [world.memberB.userId, "member"],
    ]);
    expect(bBefore.domains).toMatchObject([{ id: world.bDomain.id, verified: true }]);
    expect(bBefore.invitations).toMatchObject([{ id: world.bInvitation.id, email: world.bInvitation.email }]);
    // The tenant host names B for B's own owner, so the host attacks below really name B.
    const byHost = await restOk<unknown>(server.url, "GET", "/tenant", {
      token: world.ownerB.accessToken,
      headers: { "x-forwarded-host": world.bDomain.domain },
    });
    expect(byHost).toMatchObject({ id: world.b.id, role: "owner" });
  });

  it("GET /tenant/members, /domains, /invitations with X-Tenant A list A's rows only, never B's", async () => {
    const bIds = [world.b.id, world.ownerB.userId, world.memberB.userId, world.bDomain.id, world.bInvitation.id];
    for (const [account, tenant] of [
      [world.ownerA, world.a.slug],
      [world.memberA, world.a.id],
    ] as const) {
      const asA = { token: account.accessToken, tenant };
      const members = await restOk<Array<{ userId: string }>>(server.url, "GET", "/tenant/members", asA);
      const domains = await restOk<Array<{ id: string }>>(server.url, "GET", "/tenant/domains", asA);
      for (const id of bIds) expect(JSON.stringify([members, domains])).not.toContain(id);
      // Distinct ids: duplicates are the subject of the next test.
      expect([...new Set(members.map((m) => m.userId))].sort()).toEqual([world.ownerA.userId, world.memberA.userId].sort());
      expect(domains.map((d) => d.id)).toEqual([world.aDomain.id]);
    }
    const invitations = await restOk<Array<{ id: string }>>(server.url, "GET", "/tenant/invitations", {
      token: world.ownerA.accessToken,
      tenant: world.a.slug,
    });
    expect(invitations.map((i) => i.id)).toEqual([world.aInvitation.id]);
  });

  // The tenant-scoped transaction also sets app.user_id, and the policies that let a user see
  // (and leave) their own memberships in any tenant are OR-ed with tenant_isolation. So inside
  // tenant S, unfiltered reads of tenant_members also return the caller's memberships in other
  // tenants: member lists, seat counts and the last-owner guard all count them.
  it("inside a tenant, a caller who belongs to other tenants sees and counts this tenant's memberships only", async () => {
    const s1 = await createTenant(server.url, world.ownerA, "iso-m");
    const s2 = await createTenant(server.url, world.ownerA, "iso-m");
    const problems: string[] = [];
    const as = (tenant: TenantRef) => ({ token: world.ownerA.accessToken, tenant: tenant.slug });
    try {
      const members = await restCall<Array<{ userId: string; role: string }>>(server.url, "GET", "/tenant/members", as(s1));
      const rows = Array.isArray(members.body) ? members.body.map((m) => [m.userId, m.role]) : members.body;
      if (JSON.stringify(rows) !== JSON.stringify([[world.ownerA.userId, "owner"]])) {
        problems.push(
          `GET /tenant/members of a tenant with one member (ownerA) answered ${members.status} ${JSON.stringify(rows)}`,
        );
      }
      // One member, no pending invitation, three seats on the free plan.
      const invited = await restCall(server.url, "POST", "/tenant/invitations", {
        ...as(s1),
        body: { email: uniqueEmail("seat") },
      });
      if (invited.status !== 201)
        problems.push(`inviting into a tenant with 2 free seats answered ${invited.status} ${JSON.stringify(invited.body)}`);
      const demoted = await restCall(server.url, "PATCH", `/tenant/members/${world.ownerA.userId}`, {
        ...as(s1),
        body: { role: "member" },
      });
      if (demoted.status !== 409)
        problems.push(
          `the only owner demoting themselves answered ${demoted.status} ${JSON.stringify(demoted.body)}, not 409 LAST_OWNER`,
        );
      const left = await restCall(server.url, "POST", "/tenant/leave", as(s2));
      if (left.status !== 409)
        problems.push(`the only owner leaving answered ${left.status} ${JSON.stringify(left.body)}, not 409 LAST_OWNER`);
    } finally {
      // Leave nothing behind that would change ownerA's membership count for later tests.
      for (const tenant of [s1, s2]) {
        const deleted = await restCall(server.url, "DELETE", "/tenant", as(tenant));
        if (deleted.status !== 200) await restCall(server.url, "POST", "/tenant/leave", as(tenant));
      }
    }
    expect(problems).toEqual([]);
  });

  // Slugs and ids share the X-Tenant header, and B's id is public (tenants.public shows it).
  it("a tenant whose slug is B's id does not capture X-Tenant: <B's id>", async () => {
    // A victim of its own, so B stays as the other tests snapshot it.
    const victim = await createTenant(server.url, world.ownerB, "iso-v");
    const attackerTenants: string[] = [];
    try {
      const created = await restCall<{ id?: string }>(server.url, "POST", "/tenants", {
        token: world.ownerA.accessToken,
        body: { slug: victim.id, name: "Evil twin" },
      });
      if (created.status === 201 && created.body.id) attackerTenants.push(created.body.id);
      if (created.status !== 201) {
        // Creating was refused; renaming an existing tenant to that slug must be refused too.
        const other = await createTenant(server.url, world.ownerA, "iso-t");
        attackerTenants.push(other.id);
        const renamed = await restCall(server.url, "PATCH", "/tenant", {
          token: world.ownerA.accessToken,
          tenant: other.id,
          body: { slug: victim.id },
        });
        if (renamed.status >= 400 && renamed.status < 500) return;
      }
      // The slug was accepted: the victim's id must still name the victim, also after the
      // victim's row changed (a rename writes a new row version, which a scan then meets after the twin's).
      await restOk(server.url, "PATCH", "/tenant", {
        token: world.ownerB.accessToken,
        tenant: victim.slug,
        body: { name: "Victim, renamed" },
      });
      const anonymous = await restCall<{ id?: string }>(server.url, "GET", "/tenant/public", { tenant: victim.id });
      const asOwner = await restCall<{ id?: string }>(server.url, "GET", "/tenant", {
        token: world.ownerB.accessToken,
        tenant: victim.id,
      });
      const asAttacker = await restCall<{ id?: string }>(server.url, "GET", "/tenant", {
        token: world.ownerA.accessToken,
        tenant: victim.id,
      });
      expect({
        "GET /tenant/public, X-Tenant: victim's id": [anonymous.status, anonymous.body.id],
        "victim's owner: GET /tenant, X-Tenant: victim's id": [asOwner.status, asOwner.body.id],
        "attacker: GET /tenant, X-Tenant: victim's id": asAttacker.status,
      }).toEqual({
        "GET /tenant/public, X-Tenant: victim's id": [200, victim.id],
        "victim's owner: GET /tenant, X-Tenant: victim's id": [200, victim.id],
        "attacker: GET /tenant, X-Tenant: victim's id": 403,
      });
    } finally {
      await restCall(server.url, "DELETE", "/tenant", { token: world.ownerB.accessToken, tenant: victim.slug });
      for (const id of attackerTenants)
        await restCall(server.url, "DELETE", "/tenant", { token: world.ownerA.accessToken, tenant: id });
    }
  });

  for (const procedure of tenantScoped) {
    it(`${procedure.path} (${procedure.scope ?? "no tenantScope"}) gives A's owner nothing of B`, async () => {
      const fixture = isolationFixtures[procedure.path];
      if (!fixture) throw new Error(`add an isolation fixture for ${procedure.path} in ${fixtureFile}`);
      const servesB = answersInB(procedure);
      const isPublic = procedure.scope === "public" && !servesB;
      const findings = new Findings(world, procedure.path);
      const bPublic = new Set([world.b.id, world.b.slug, world.b.name, ...publicValuesOfB(world)]);

      /**
       * A call that names B: member procedures refuse, public ones show B's public face only,
       * storefront and customer ones answer as the fixture says.
       */
      let inB: IsolationCase["inB"];
      const expectRefusedInB = (
        attack: string,
        outcome: Outcome,
        sent: unknown,
        refusal: { status: number; appCode: string },
      ) => {
        if (servesB) {
          const anonymousCustomer = procedure.scope === "customer" && refusal.status === 401;
          findings.expectAnswer(attack, outcome, anonymousCustomer ? refusal : inB!);
          findings.expectNoDataOfB(attack, outcome, sent, bPublic);
        } else if (isPublic) {
          findings.expectAnswer(attack, outcome, { status: 200 });
          if (outcome.status === 200 && JSON.stringify(outcome.data) !== JSON.stringify(publicFace(world.b))) {
            findings.problems.push(
              `${procedure.path} [${attack}]: a public procedure answered more than B's id, slug and name: ${show(outcome)}`,
            );
          }
          findings.expectNoDataOfB(attack, outcome, sent, bPublic);
        } else {
          findings.expectAnswer(attack, outcome, refusal);
          findings.expectNoDataOfB(attack, outcome, sent);
        }
      };
      const notAMember = { status: 403, appCode: "NOT_A_MEMBER" };

      for (const testCase of fixture.cases(world)) {
        const { input } = testCase;
        inB = testCase.inB;
        if (servesB && !inB) {
          findings.problems.push(
            `${procedure.path} [${testCase.label}]: a storefront or customer procedure's case needs inB in ${fixtureFile}`,
          );
          continue;
        }
        const label = (attack: string) => `${testCase.label}; ${attack}`;
        const ownerA = world.ownerA.accessToken;

        // (a) A's owner names B in the X-Tenant header, however spelled.
        const spoofs = [
          ["X-Tenant: B's slug", world.b.slug],
          ["X-Tenant: B's id", world.b.id],
          ["X-Tenant: B's slug in upper case", world.b.slug.toUpperCase()],
          ["X-Tenant: B's id, padded and upper case", `  ${world.b.id.toUpperCase()} `],
        ] as const;
        for (const [attack, tenant] of spoofs) {
          const caller = { token: ownerA, tenant };
          expectRefusedInB(
            label(`tRPC ${attack}`),
            await callTrpc(server.url, procedure, input, caller),
            [input, tenant],
            notAMember,
          );
        }
        if (procedure.openapi) {
          for (const [attack, tenant] of spoofs.slice(0, 2)) {
            const caller = { token: ownerA, tenant };
            expectRefusedInB(
              label(`REST ${attack}`),
              await callRest(server.url, procedure, input, caller),
              [input, tenant],
              notAMember,
            );
          }
        }
        // …or in the tenant host (B's verified domain), also against an X-Tenant naming A.
        for (const [attack, headers] of [
          ["host: B's domain", { "x-forwarded-host": world.bDomain.domain }],
          ["host: B's domain, X-Tenant: A", { "x-forwarded-host": world.bDomain.domain, "x-tenant": world.a.slug }],
        ] as const) {
          const outcome = await callTrpc(server.url, procedure, input, { token: ownerA, headers });
          expectRefusedInB(label(`tRPC ${attack}`), outcome, [input, headers], notAMember);
        }
        // A tenant header that lists both tenants names neither.
        {
          const tenant = `${world.a.slug}, ${world.b.slug}`;
          const outcome = await callTrpc(server.url, procedure, input, { token: ownerA, tenant });
          if (outcome.status < 400 || outcome.status >= 500) {
            findings.problems.push(`${procedure.path} [${label("X-Tenant: A, B")}]: expected a refusal, got ${show(outcome)}`);
          }
          findings.expectNoDataOfB(label("X-Tenant: A, B"), outcome, [input, tenant]);
        }

        // (d) Someone who belongs to no tenant at all, and someone not signed in.
        expectRefusedInB(
          label("outsider, X-Tenant: B"),
          await callTrpc(server.url, procedure, input, { token: world.outsider.accessToken, tenant: world.b.slug }),
          [input, world.b.slug],
          notAMember,
        );
        expectRefusedInB(
          label("anonymous, X-Tenant: B"),
          await callTrpc(server.url, procedure, input, { tenant: world.b.id }),
          [input, world.b.id],
          { status: 401, appCode: "UNAUTHENTICATED" },
        );

        // (c) No tenant named, or one that does not exist.
        const noTenant = await callTrpc(server.url, procedure, input, { token: ownerA });
        findings.expectAnswer(label("no X-Tenant, no tenant host"), noTenant, { status: 400, appCode: "TENANT_REQUIRED" });
        findings.expectNoDataOfB(label("no X-Tenant"), noTenant, input);
        for (const tenant of [`no-such-${randomBytes(4).toString("hex")}`, randomUUID()]) {
          const outcome = await callTrpc(server.url, procedure, input, { token: ownerA, tenant });
          findings.expectAnswer(label(`X-Tenant: unknown ${tenant}`), outcome, { status: 404, appCode: "TENANT_NOT_FOUND" });
          findings.expectNoDataOfB(label("X-Tenant: unknown"), outcome, input);
        }

        // (b) In A's own tenant with B's ids in the input. Mutations run in a fresh tenant of
        // ownerA, so the ones that may succeed (delete, rename, invite) disturb neither A nor
        // the next case.
        await inOwnTenant(procedure, testCase, findings);
      }

      expect.soft(await snapshotOfB(server.url, world), `B changed after calls to ${procedure.path}`).toEqual(bBefore);
      expect(findings.problems).toEqual([]);
    });
  }

  async function inOwnTenant(procedure: EnumeratedProcedure, testCase: IsolationCase, findings: Findings) {
    const scratch = procedure.type === "query" ? undefined : await createTenant(server.url, world.ownerA, "iso-s");
    // A module's mutations meet B's ids only where the module runs: switch it on in the scratch tenant.
    if (scratch && procedure.module) await enableModuleIn(server.url, world.ownerA, scratch, procedure.module);
    const own = scratch ?? world.a;
    const attack = `${testCase.label}; own tenant with B's ids`;
    const outcome = await callTrpc(server.url, procedure, testCase.input, { token: world.ownerA.accessToken, tenant: own.slug });
    if (scratch) {
      // ownerA's memberships elsewhere leak into seat counts (see above): keep them few.
      await restCall(server.url, "DELETE", "/tenant", { token: world.ownerA.accessToken, tenant: scratch.id });
    }
    findings.expectAnswer(attack, outcome, testCase.inOwnTenant);
    findings.expectNoDataOfB(attack, outcome, testCase.input);
    if (
      procedure.scope === "public" &&
      !procedure.module &&
      outcome.status === 200 &&
      JSON.stringify(outcome.data) !== JSON.stringify(publicFace(own))
    ) {
      findings.problems.push(`${procedure.path} [${attack}]: expected A's public face, got ${show(outcome)}`);
    }
  }
});
