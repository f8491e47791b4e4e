-- Account deletion is refused while the user is a tenant's only owner. The other owners are
-- other people's rows, which the user's scope cannot see, so this answers in one query what
-- took three per owned tenant. It first locks every tenant the user owns, in id order and in
-- lockTenant's mode, so two owners deleting their accounts at once are decided one after the
-- other (each used to count the other and both went, leaving a tenant without an owner); each
-- statement of a plpgsql function sees what committed before it, so the count follows the lock.
CREATE FUNCTION lock_sole_owned_tenants(owner_id uuid)
  RETURNS TABLE (slug text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM 1 FROM tenants t
    WHERE t.id IN (SELECT m.tenant_id FROM tenant_members m WHERE m.user_id = owner_id AND m.role = 'owner')
    ORDER BY t.id
    FOR NO KEY UPDATE;
  RETURN QUERY
    SELECT t.slug FROM tenants t
      JOIN tenant_members m ON m.tenant_id = t.id AND m.user_id = owner_id AND m.role = 'owner'
     WHERE (SELECT count(*) FROM tenant_members o WHERE o.tenant_id = t.id AND o.role = 'owner') = 1
     ORDER BY t.slug;
END
$$;

REVOKE ALL ON FUNCTION lock_sole_owned_tenants(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lock_sole_owned_tenants(uuid) TO tenantry_app;
