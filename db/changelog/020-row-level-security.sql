--liquibase formatted sql

--changeset plugboard:020-row-level-security splitStatements:false
-- Row-level security on tenant data (docs/decisions/0007-row-level-security.md). The application tells each
-- connection whose rows it may touch: plugboard.tenant_id (one tenant) or plugboard.platform = 'on' (work that spans
-- tenants, and says why in the code). Neither set: no rows at all, and no row may be written. The owner that
-- migrates is not held back (tables are not FORCEd); the runtime role the application connects as is.
-- The settings are read in scalar subqueries, so a query reads them once (an InitPlan) rather than once per row:
-- a deep OFFSET in a large tenant passes hundreds of thousands of rows through the policy.
DO $$
DECLARE
    visible constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['credentials', 'end_users', 'connect_sessions', 'oauth_states', 'integrations',
            'custom_connectors', 'webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'proxy_calls',
            'request_templates', 'audit_saved_filters', 'provider_revocations'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_scope ON %I USING (%s) WITH CHECK (%s)', t, visible, visible);
    END LOOP;
    -- The audit trail: a tenant reads only its own events (platform events have no tenant: platform scope only).
    -- Anyone may append an event, for any tenant or none, whatever the scope (a failed sign-in has no tenant yet);
    -- nobody but the sealing function may change one (see runtime-role-grants.sql).
    ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY tenant_reads ON audit_events FOR SELECT USING (%s)', visible);
    CREATE POLICY anyone_appends ON audit_events FOR INSERT WITH CHECK (true);
END $$;
