-- Platform admins find tenants across the platform. Tenants are under row-level security (the
-- application role sees a tenant only inside its scope), so the search is a SECURITY DEFINER
-- function that returns summaries only; an admin opens one tenant in its own scope to see more.
-- `search` matches part of the slug, the name, a domain or an owner's email, case-insensitively
-- and literally (% and _ are escaped). Keyset-paginated, newest first, like every list.
CREATE FUNCTION platform_tenant_search(
  search text, only_status text, after_created timestamptz, after_id uuid, max_rows int
) RETURNS TABLE (
  id uuid, slug text, name text, status text, created_at timestamptz,
  plan_code text, subscription_status text, members bigint
)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  WITH pattern AS (
    SELECT '%' || replace(replace(replace(search, '\', '\\'), '%', '\%'), '_', '\_') || '%' AS p
  )
  SELECT t.id, t.slug, t.name, t.status::text, t.created_at, p.code, s.status::text,
         (SELECT count(*) FROM tenant_members m WHERE m.tenant_id = t.id)
  FROM tenants t
  LEFT JOIN subscriptions s ON s.tenant_id = t.id
  LEFT JOIN plans p ON p.id = s.plan_id
  CROSS JOIN pattern
  WHERE (search IS NULL
         OR t.slug ILIKE pattern.p
         OR t.name ILIKE pattern.p
         OR EXISTS (SELECT 1 FROM tenant_domains d WHERE d.tenant_id = t.id AND d.domain ILIKE pattern.p)
         OR EXISTS (SELECT 1 FROM tenant_members m JOIN users u ON u.id = m.user_id
                    WHERE m.tenant_id = t.id AND m.role = 'owner' AND u.email ILIKE pattern.p))
    AND (only_status IS NULL OR t.status::text = only_status)
    AND (after_created IS NULL OR t.created_at < after_created OR (t.created_at = after_created AND t.id < after_id))
  ORDER BY t.created_at DESC, t.id DESC
  LIMIT max_rows
$$;
REVOKE ALL ON FUNCTION platform_tenant_search(text, text, timestamptz, uuid, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform_tenant_search(text, text, timestamptz, uuid, int) TO tenantry_app;
