--liquibase formatted sql

--changeset plugboard:020-row-level-security splitStatements:false
-- Row-level security on tenant data (docs/decisions/0007-row-level-security.md). The application tells each
-- connection whose rows it may touch: plugboard.tenant_id (one tenant) or plugboard.platform = 'on' (work that spans
-- tenants, and says why in the code). Neither set: no rows at all, and no row may be written. The owner that
-- migrates is not held back (tables are not FORCEd); the runtime role the application connects as is.
CREATE FUNCTION plugboard_tenant_visible(row_tenant uuid) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT current_setting('plugboard.platform', true) = 'on'
        OR row_tenant = nullif(current_setting('plugboard.tenant_id', true), '')::uuid
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['credentials', 'end_users', 'connect_sessions', 'oauth_states', 'integrations',
            'custom_connectors', 'webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'proxy_calls',
            'request_templates', 'audit_saved_filters', 'provider_revocations'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_scope ON %I USING (plugboard_tenant_visible(tenant_id)) '
                       'WITH CHECK (plugboard_tenant_visible(tenant_id))', t);
    END LOOP;
END $$;

-- The audit trail: a tenant reads only its own events (platform events have no tenant: platform scope only). Anyone
-- may append an event, for any tenant or none, whatever the scope (a failed sign-in has no tenant yet); nobody but
-- the sealing function may change one (see runtime-role-grants.sql).
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_reads ON audit_events FOR SELECT USING (plugboard_tenant_visible(tenant_id));
CREATE POLICY anyone_appends ON audit_events FOR INSERT WITH CHECK (true);
