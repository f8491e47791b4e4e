-- AlterTable
ALTER TABLE "users" ADD COLUMN     "blocked_at" TIMESTAMPTZ(3),
ADD COLUMN     "blocked_reason" TEXT;

-- Platform admins' overview: counts across every tenant, which the application role (under
-- row-level security) cannot read itself. Aggregates only; no tenant's rows leave the function.
CREATE FUNCTION platform_overview(since timestamptz) RETURNS jsonb
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT jsonb_build_object(
    'users', (SELECT count(*) FROM users),
    'blockedUsers', (SELECT count(*) FROM users WHERE blocked_at IS NOT NULL),
    'platformAdmins', (SELECT count(*) FROM users WHERE platform_role = 'admin'),
    'tenantsByStatus', coalesce((SELECT jsonb_object_agg(status, n) FROM (
      SELECT status::text, count(*) AS n FROM tenants GROUP BY status) s), '{}'::jsonb),
    'tenantsByPlan', coalesce((SELECT jsonb_object_agg(code, n) FROM (
      SELECT p.code, count(*) AS n FROM subscriptions s JOIN plans p ON p.id = s.plan_id GROUP BY p.code) s), '{}'::jsonb),
    'modulesEnabled', coalesce((SELECT jsonb_object_agg(module_id, n) FROM (
      SELECT module_id, count(*) AS n FROM tenant_modules WHERE enabled GROUP BY module_id) m), '{}'::jsonb),
    'signInsSince', (SELECT count(*) FROM sessions WHERE created_at >= since)
  )
$$;
REVOKE ALL ON FUNCTION platform_overview(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform_overview(timestamptz) TO tenantry_app;
