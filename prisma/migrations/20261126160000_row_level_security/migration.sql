-- Row-level security: tenant-owned rows are visible only inside a transaction that set
-- app.tenant_id (see packages/db/src/tenant-scope.ts). The application runs as tenantry_app,
-- which owns nothing and cannot bypass row security; migrations run as the owner.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenantry_app') THEN
    CREATE ROLE tenantry_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO tenantry_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tenantry_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tenantry_app;
-- The application reads the migration history (readiness) but never writes it. (A shadow
-- database replaying migrations has no history table.)
DO $$
BEGIN
  IF to_regclass('_prisma_migrations') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE ON "_prisma_migrations" FROM tenantry_app;
  END IF;
END
$$;

-- The current scope, NULL when unset (so comparisons with it are never true).
CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.tenant_id', true), '')::uuid
$$;
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.user_id', true), '')::uuid
$$;

-- Every tenant-owned table: on, forced (owners too), one isolation policy for the app role,
-- and a policy for the migrating role so lookups below (SECURITY DEFINER) and maintenance work
-- even where that role is not a superuser.
DO $$
DECLARE
  tbl text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['tenant_members', 'subscriptions', 'tenant_domains', 'tenant_modules', 'invitations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I TO tenantry_app USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())',
      tbl);
    EXECUTE format('CREATE POLICY owner_maintenance ON %I TO %I USING (true) WITH CHECK (true)', tbl, current_user);
  END LOOP;
  ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
  ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
  EXECUTE format('CREATE POLICY owner_maintenance ON tenants TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;

-- A tenant row belongs to itself.
CREATE POLICY tenant_isolation ON tenants TO tenantry_app
  USING (id = app_tenant_id()) WITH CHECK (id = app_tenant_id());

-- Outside any tenant (app.tenant_id unset), a signed-in user sees (and may leave) their own
-- memberships and the tenants they belong to: what "my tenants" and account deletion need.
-- Inside a tenant these do not apply, so a tenant's queries never see other tenants' rows.
CREATE POLICY own_memberships_read ON tenant_members FOR SELECT TO tenantry_app
  USING (app_tenant_id() IS NULL AND user_id = app_user_id());
CREATE POLICY own_memberships_leave ON tenant_members FOR DELETE TO tenantry_app
  USING (app_tenant_id() IS NULL AND user_id = app_user_id());
CREATE POLICY member_tenants_read ON tenants FOR SELECT TO tenantry_app
  USING (app_tenant_id() IS NULL AND id IN (SELECT tenant_id FROM tenant_members WHERE user_id = app_user_id()));

-- Lookups that must work before a tenant is known. SECURITY DEFINER runs them as the owner;
-- each returns only what resolving a request or an invitation needs.
CREATE FUNCTION tenant_by_reference(reference text)
  RETURNS TABLE (id uuid, slug text, status "TenantStatus")
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  -- An id match wins over a slug match (slugs cannot look like ids, but be sure).
  SELECT t.id, t.slug, t.status FROM tenants t
   WHERE t.slug = lower(reference) OR t.id::text = lower(reference)
   ORDER BY (t.id::text = lower(reference)) DESC
   LIMIT 1
$$;

CREATE FUNCTION tenant_by_domain(host text)
  RETURNS TABLE (id uuid, slug text, status "TenantStatus")
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT t.id, t.slug, t.status FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id
   WHERE d.domain = lower(host) AND d.verified_at IS NOT NULL
$$;

CREATE FUNCTION invitation_tenant(token_hash text)
  RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT i.tenant_id FROM invitations i WHERE i.token_hash = invitation_tenant.token_hash
$$;

-- Whether a domain is taken by any tenant (domains are unique across the platform).
CREATE FUNCTION domain_is_taken(name text)
  RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM tenant_domains WHERE domain = lower(name))
$$;

REVOKE ALL ON FUNCTION tenant_by_reference(text), tenant_by_domain(text), invitation_tenant(text), domain_is_taken(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_by_reference(text), tenant_by_domain(text), invitation_tenant(text), domain_is_taken(text),
  app_tenant_id(), app_user_id() TO tenantry_app;
