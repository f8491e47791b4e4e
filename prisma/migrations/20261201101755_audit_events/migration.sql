-- CreateEnum
CREATE TYPE "AuditActorType" AS ENUM ('user', 'platform', 'module', 'anonymous');

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "actor_type" "AuditActorType" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "ip" TEXT,
    "user_agent" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_created_at_id_idx" ON "audit_events"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_created_at_id_idx" ON "audit_events"("created_at" DESC, "id" DESC);

-- Row-level security. A tenant's events are its own (read and written inside its scope);
-- platform events (no tenant) are written outside any tenant scope; platform admins read all
-- of them in a transaction that set app.audit_scope = 'platform' (their procedure does, nothing
-- else). The application only appends: no UPDATE, no DELETE; the retention purge deletes
-- through purge_audit_events(), as the owner.
ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "audit_events" TO tenantry_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
CREATE POLICY platform_events_write ON "audit_events" FOR INSERT TO tenantry_app
  WITH CHECK (tenant_id IS NULL AND app_tenant_id() IS NULL);
CREATE POLICY platform_read ON "audit_events" FOR SELECT TO tenantry_app
  USING (current_setting('app.audit_scope', true) = 'platform');
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON "audit_events" TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
REVOKE UPDATE, DELETE ON "audit_events" FROM tenantry_app;

CREATE FUNCTION purge_audit_events(older_than timestamptz) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  WITH gone AS (DELETE FROM audit_events WHERE created_at < older_than RETURNING 1)
  SELECT count(*) FROM gone
$$;
REVOKE ALL ON FUNCTION purge_audit_events(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_audit_events(timestamptz) TO tenantry_app;
