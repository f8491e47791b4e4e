-- An unverified domain claim must not block the domain's real owner forever: claims left
-- unverified for longer than the given age are released when another tenant adds the domain.
-- SECURITY DEFINER because the stale claim belongs to another tenant; it only ever deletes
-- unverified rows for one name.
CREATE FUNCTION release_stale_domain_claim(name text, max_age interval)
  RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  WITH released AS (
    DELETE FROM tenant_domains
     WHERE domain = lower(name) AND verified_at IS NULL AND created_at < now() - max_age
    RETURNING 1
  )
  SELECT count(*)::integer FROM released
$$;

REVOKE ALL ON FUNCTION release_stale_domain_claim(text, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION release_stale_domain_claim(text, interval) TO tenantry_app;
