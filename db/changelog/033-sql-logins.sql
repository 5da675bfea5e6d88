--liquibase formatted sql

--changeset plugboard:033-sql-logins splitStatements:false
-- A tenant's read-only SQL login (docs/sync.md): a PostgreSQL role that reads the tenant's synced records through
-- the views of schema tenant_data and nothing else.
--
-- The tables' row-level security trusts the session setting plugboard.tenant_id, which any SQL user may set, so
-- the views do not rely on it: they are owned by the migrating role (the tables' owner, not held back by the
-- policies) and admit the rows of the tenant that sql_logins maps the connected role to. session_user, not
-- current_user: SET ROLE changes the latter, and only a superuser can change the former. security_barrier keeps
-- the caller's own functions (even temporary ones) from seeing rows before that condition has removed them.
CREATE TABLE sql_logins (
    tenant_id               uuid          PRIMARY KEY REFERENCES tenants (id),
    role_name               varchar(63)   NOT NULL UNIQUE,
    created_at              timestamptz   NOT NULL,
    password_changed_at     timestamptz   NOT NULL
);
ALTER TABLE sql_logins ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sql_logins
    USING ((SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid))
    WITH CHECK ((SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid));

CREATE SCHEMA tenant_data;
REVOKE ALL ON SCHEMA tenant_data FROM PUBLIC;

CREATE VIEW tenant_data.people WITH (security_barrier) AS
    SELECT p.credential_id, p.provider_id, p.first_name, p.last_name, p.name, p.emails, p.phones, p.addresses,
           p.tags, p.stage, p.source, p.assigned_user_id, p.created_at, p.updated_at, p.original, p.synced_at,
           p.deleted_at
    FROM public.synced_people p
    WHERE p.tenant_id = (SELECT l.tenant_id FROM public.sql_logins l WHERE l.role_name = session_user);

CREATE VIEW tenant_data.notes WITH (security_barrier) AS
    SELECT n.credential_id, n.provider_id, n.person_id, n.body, n.created_by_user_id, n.created_at, n.updated_at,
           n.original, n.synced_at, n.deleted_at
    FROM public.synced_notes n
    WHERE n.tenant_id = (SELECT l.tenant_id FROM public.sql_logins l WHERE l.role_name = session_user);

CREATE VIEW tenant_data.tasks WITH (security_barrier) AS
    SELECT t.credential_id, t.provider_id, t.person_id, t.title, t.description, t.due_at, t.completed,
           t.completed_at, t.assigned_user_id, t.created_at, t.updated_at, t.original, t.synced_at, t.deleted_at
    FROM public.synced_tasks t
    WHERE t.tenant_id = (SELECT l.tenant_id FROM public.sql_logins l WHERE l.role_name = session_user);

CREATE VIEW tenant_data.users WITH (security_barrier) AS
    SELECT u.credential_id, u.provider_id, u.name, u.first_name, u.last_name, u.email, u.role, u.active,
           u.original, u.synced_at, u.deleted_at
    FROM public.synced_users u
    WHERE u.tenant_id = (SELECT l.tenant_id FROM public.sql_logins l WHERE l.role_name = session_user);

-- The runtime role cannot create roles, and should not be able to: these functions, owned by the migrating role,
-- are the only way to, and touch only the roles sql_logins lists. Passwords arrive as SCRAM-SHA-256 verifiers,
-- so no plain password reaches the server (nor its statement log). The login's rights come from the group role
-- plugboard_sql_read: USAGE on tenant_data and SELECT on its views, re-granted on every call so that views added
-- later are covered. The migrating role needs CREATEROLE for this (docs/operations.md); without it these
-- functions refuse with a message that says so, and the rest of Plugboard is unaffected.
CREATE FUNCTION sql_login_readers() RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolcreaterole OR rolsuper)) THEN
        RAISE EXCEPTION 'SQL logins need the database owner role % to have CREATEROLE (docs/operations.md)',
            current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plugboard_sql_read') THEN
        CREATE ROLE plugboard_sql_read NOLOGIN NOINHERIT;
    END IF;
    GRANT USAGE ON SCHEMA tenant_data TO plugboard_sql_read;
    GRANT SELECT ON ALL TABLES IN SCHEMA tenant_data TO plugboard_sql_read;
END
$$;
REVOKE ALL ON FUNCTION sql_login_readers() FROM PUBLIC;

-- Creates the tenant's login, or sets a new password of the one it has (rotation). Returns the role's name.
CREATE FUNCTION sql_login_set_password(for_tenant uuid, verifier text) RETURNS text
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    login text;
BEGIN
    IF for_tenant IS NULL OR NOT EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = for_tenant) THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF verifier IS NULL OR verifier !~ '^SCRAM-SHA-256\$[0-9]{4,6}:[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$' THEN
        RAISE EXCEPTION 'the password must be a SCRAM-SHA-256 verifier' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM public.sql_login_readers();
    SELECT l.role_name INTO login FROM public.sql_logins l WHERE l.tenant_id = for_tenant FOR UPDATE;
    IF login IS NULL THEN
        login := 'plugboard_sql_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 16);
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
                       'INHERIT CONNECTION LIMIT 10 PASSWORD %L', login, verifier);
        EXECUTE format('GRANT plugboard_sql_read TO %I', login);
        EXECUTE format('ALTER ROLE %I SET search_path = tenant_data', login);
        EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', login);
        INSERT INTO public.sql_logins (tenant_id, role_name, created_at, password_changed_at)
        VALUES (for_tenant, login, now(), now());
    ELSE
        EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
        UPDATE public.sql_logins SET password_changed_at = now() WHERE tenant_id = for_tenant;
    END IF;
    RETURN login;
END
$$;
REVOKE ALL ON FUNCTION sql_login_set_password(uuid, text) FROM PUBLIC;

-- Removes the tenant's login; returns its name, or null when it had none. Sessions still open lose the group's
-- rights at once (privileges are checked per statement), and the views no longer map the role to the tenant.
-- A role that cannot be dropped yet (an open session holds a temporary table) stays, unable to sign in or read.
CREATE FUNCTION sql_login_drop(for_tenant uuid) RETURNS text
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    login text;
BEGIN
    DELETE FROM public.sql_logins l WHERE l.tenant_id = for_tenant RETURNING l.role_name INTO login;
    IF login IS NULL OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        RETURN login;
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN PASSWORD NULL', login);
    EXECUTE format('REVOKE plugboard_sql_read FROM %I', login);
    BEGIN
        EXECUTE format('DROP ROLE %I', login);
    EXCEPTION WHEN dependent_objects_still_exist THEN
        RAISE WARNING 'SQL login % kept without login or rights until its sessions end: %', login, SQLERRM;
    END;
    RETURN login;
END
$$;
REVOKE ALL ON FUNCTION sql_login_drop(uuid) FROM PUBLIC;
