--liquibase formatted sql

--changeset plugboard:runtime-role-grants runAlways:true runOnChange:true splitStatements:false
-- Runs after every migration, last, so tables and sequences added by any changeset are covered. The runtime role
-- (changelog parameter runtimeRole) reads and writes rows and owns nothing: no DDL, no TRUNCATE, and on
-- audit_events only INSERT and SELECT (sealing goes through audit_seal). When the application migrates with the
-- same role it runs as (a single-role setup, refused at start unless explicitly allowed) there is nothing to grant.
DO $$
DECLARE
    runtime text := '${runtimeRole}';
    fn record;
BEGIN
    -- Functions: PostgreSQL lets PUBLIC (every role, a tenant's SQL login included) execute a new function. None of
    -- Plugboard's own is meant for anyone but its two roles; trigger functions need no EXECUTE to fire. Extensions'
    -- functions (pg_trgm, pgcrypto) compute on their arguments only and stay as their extensions made them.
    FOR fn IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                AND d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn.signature);
    END LOOP;
    IF runtime = current_user THEN
        RAISE WARNING 'Plugboard migrates as its runtime role %: it keeps owner rights', runtime;
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = runtime) THEN
        RAISE EXCEPTION 'The runtime role % does not exist; create it first (docs/operations.md)', runtime;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', runtime);
    EXECUTE format('REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM %I', runtime);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', runtime);
    EXECUTE format('REVOKE UPDATE, DELETE ON audit_events FROM %I', runtime);
    EXECUTE format('REVOKE ALL ON databasechangelog, databasechangeloglock FROM %I', runtime);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_seal(bigint[], bigint[], text[], text[]) TO %I', runtime);
    -- SQL logins: rows only through the functions that create and drop the roles they name.
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON sql_logins FROM %I', runtime);
    EXECUTE format('GRANT EXECUTE ON FUNCTION sql_login_set_password(uuid, text), sql_login_drop(uuid) TO %I',
                   runtime);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dashboard_add_buckets(bigint[], bigint[]) TO %I', runtime);
    EXECUTE format('GRANT EXECUTE ON FUNCTION sql_login_enforce_limits(interval, interval, double precision) TO %I', runtime);
    -- The change feeds' seal (changeset 035): read to open payloads, never written.
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON notification_seal_key FROM %I', runtime);
END $$;
