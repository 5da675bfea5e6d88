--liquibase formatted sql

--changeset plugboard:024-row-level-security-remainder splitStatements:false
-- The rest of the tenant data under the policy of changeset 020 (decision 0007):
--   portal_users: a tenant's users are its rows; platform staff (no tenant) are seen in the platform scope only.
--     Sign-in and each request's check of its own user row run in the platform scope (the tenant is not known yet,
--     or a customer-success user works in a tenant that is not theirs).
--   credential_counts, credential_refresh_failures_hourly: kept by triggers on credentials, in the scope of the
--     statement that changed the credential, which can only be that credential's tenant or the platform.
--   proxy_call_stats_hourly: written by the roll-up job (platform scope), read by each tenant's dashboard.
--   audit_repeated_failures: counted per source across tenants, so written and closed in the platform scope.
-- proxy_call_stats_hourly_all sums every tenant: the platform scope alone reads or writes it.
DO $$
DECLARE
    platform constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'$sql$;
    visible constant text := platform || $sql$
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['portal_users', 'credential_counts', 'credential_refresh_failures_hourly',
            'proxy_call_stats_hourly', 'audit_repeated_failures'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_scope ON %I USING (%s) WITH CHECK (%s)', t, visible, visible);
    END LOOP;
    ALTER TABLE proxy_call_stats_hourly_all ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY platform_only ON proxy_call_stats_hourly_all USING (%s) WITH CHECK (%s)',
            platform, platform);
END $$;
