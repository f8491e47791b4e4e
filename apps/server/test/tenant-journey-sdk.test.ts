import { createClient, type FetchFunction } from "@tenantry/sdk";
import { appCodeOf } from "./support/sdk-errors.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeDns, type FakeDns } from "./support/fake-dns.ts";
import { testPassword, uniqueEmail } from "./support/sign-up.ts";
import { call, expectApiError, expectStatus, fetchVia, platformDomain } from "./support/tenants.ts";
import { startTestServer, testBackends, type TestServer } from "./support/test-server.ts";
import { testMailbox } from "./support/mailbox.ts";

describe.each(testBackends())("a tenant's first day through the SDK on $name", (backend) => {
  let dns: FakeDns;
  let server: TestServer;

  beforeAll(async () => {
    dns = fakeDns();
    server = await startTestServer(backend, { PLATFORM_DOMAIN: platformDomain }, { dns });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("register, create, invite, join, add a domain, publish its record, verify: the domain serves the tenant", async () => {
    const slug = "acme-x";
    const customDomain = "shop.acme-x-example.com";

    // The founder registers and creates the tenant.
    let founderToken: string | undefined;
    const founder = createClient({ url: server.url, token: () => founderToken, tenant: slug });
    const founderEmail = uniqueEmail("founder");
    const registered = await founder.auth.email.register.mutate({
      email: founderEmail,
      password: testPassword,
      displayName: "Ada Founder",
    });
    founderToken = registered.accessToken;

    expect(await appCodeOf(founder.tenants.get.query())).toBe("TENANT_NOT_FOUND");
    const tenant = await founder.tenants.create.mutate({ slug, name: "Acme X" });
    expect(tenant).toEqual({
      id: expect.any(String),
      slug,
      name: "Acme X",
      status: "active",
      createdAt: expect.any(String),
      role: "owner",
    });
    expect(await founder.tenants.list.query()).toEqual([tenant]);
    expect(await founder.tenants.get.query()).toEqual(tenant);
    expect(await appCodeOf(founder.tenants.create.mutate({ slug, name: "Again" }))).toBe("SLUG_TAKEN");

    // A teammate is invited by email; the token is handed over out of band.
    const teammateEmail = uniqueEmail("teammate");
    const { invitation, token: invitationToken } = await founder.tenants.invitations.create.mutate({
      email: teammateEmail,
      role: "admin",
    });
    expect(invitation).toMatchObject({ email: teammateEmail, phone: null, role: "admin" });
    expect(await founder.tenants.invitations.list.query()).toEqual([invitation]);

    // The teammate registers with that email and accepts.
    let teammateToken: string | undefined;
    const teammate = createClient({ url: server.url, token: () => teammateToken, tenant: slug });
    teammateToken = (await teammate.auth.email.register.mutate({ email: teammateEmail, password: testPassword })).accessToken;
    expect(await appCodeOf(teammate.tenants.get.query())).toBe("NOT_A_MEMBER");
    // An email invitation wants the address proven: the teammate reads the code from their mail.
    expect(await appCodeOf(teammate.tenants.acceptInvitation.mutate({ token: invitationToken }))).toBe("EMAIL_NOT_VERIFIED");
    // Registration mailed a code after answering; waiting for it keeps it from landing after the one asked for here.
    const mailbox = await testMailbox();
    await expect.poll(() => mailbox.received.filter((m) => m.to.includes(teammateEmail)).length).toBe(2);
    await teammate.account.email.requestVerificationCode.mutate({});
    const code = mailbox.lastCodeFor(teammateEmail);
    expect((await teammate.account.email.verify.mutate({ code })).emailVerified).toBe(true);
    expect(await teammate.tenants.acceptInvitation.mutate({ token: invitationToken })).toEqual({
      tenantId: tenant.id,
      slug,
      name: "Acme X",
      role: "admin",
    });
    expect(await appCodeOf(teammate.tenants.acceptInvitation.mutate({ token: invitationToken }))).toBe("INVITATION_USED");
    expect(await teammate.tenants.get.query()).toEqual({ ...tenant, role: "admin" });
    expect((await founder.tenants.members.list.query()).map((m) => [m.email, m.role, m.displayName])).toEqual([
      [founderEmail, "owner", "Ada Founder"],
      [teammateEmail, "admin", null],
    ]);
    expect(await founder.tenants.invitations.list.query()).toEqual([]);

    // The founder attaches a domain; until its TXT record is published it verifies nothing and serves nobody.
    const domain = await founder.tenants.domains.add.mutate({ domain: customDomain.toUpperCase() });
    expect(domain).toMatchObject({
      domain: customDomain,
      verified: false,
      verification: { type: "TXT", name: `_tenantry-challenge.${customDomain}` },
    });
    expect(domain.verification.value).toMatch(/^tenantry-verification=/);
    expect(await appCodeOf(founder.tenants.domains.verify.mutate({ domainId: domain.id }))).toBe("DOMAIN_NOT_VERIFIED");
    await expectApiError(await call(server, "GET", "/tenant/public", { host: customDomain }), 400, "TENANT_REQUIRED");

    dns.setTxt(domain.verification.name, [domain.verification.value]);
    const verified = await founder.tenants.domains.verify.mutate({ domainId: domain.id });
    expect(verified).toMatchObject({ id: domain.id, domain: customDomain, verified: true });
    expect((await teammate.tenants.domains.list.query()).map((d) => [d.domain, d.verified])).toEqual([[customDomain, true]]);

    // A plain HTTP request to the domain is served as the tenant: no X-Tenant anywhere.
    const publicRes = await call(server, "GET", "/tenant/public", { host: customDomain });
    expect(await expectStatus(publicRes, 200)).toEqual({ id: tenant.id, slug, name: "Acme X" });
    const signedIn = await call(server, "GET", "/tenant", { host: customDomain, token: teammateToken });
    expect(await expectStatus(signedIn, 200)).toEqual({ ...tenant, role: "admin" });

    // The SDK on the tenant's domain (and on its platform subdomain) needs no tenant option either.
    for (const host of [customDomain, `${slug}.${platformDomain}`]) {
      const onDomain = createClient({ url: server.url, token: () => teammateToken, fetch: fetchVia(host) as FetchFunction });
      expect(await onDomain.tenants.public.query()).toEqual({ id: tenant.id, slug, name: "Acme X" });
      expect(await onDomain.tenants.get.query()).toEqual({ ...tenant, role: "admin" });
    }
    // Without a domain and without a tenant, the server asks which tenant.
    const nowhere = createClient({ url: server.url, token: () => teammateToken });
    expect(await appCodeOf(nowhere.tenants.get.query())).toBe("TENANT_REQUIRED");
  });
});
