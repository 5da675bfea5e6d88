--liquibase formatted sql

--changeset plugboard:035-sealed-change-feeds splitStatements:false
-- Any role in the database may LISTEN to any channel and NOTIFY any channel; a tenant's read-only SQL login
-- (changeset 033) is such a role. The change feeds of changesets 013 and 016 named tenants, credentials and portal
-- users in the clear, and whatever anyone sent on them was acted on. From here on every payload is sealed:
-- AES-256-CBC under a random IV, then HMAC-SHA-256 over IV and ciphertext (encrypt-then-MAC), with keys that only
-- Plugboard's roles can read. The listeners (NotificationListener) open what verifies and refuse the rest, so a
-- listening login learns nothing but the rhythm of changes, and a forged payload changes nothing.
-- pgcrypto is a trusted extension: the owner role creates it like pg_trgm (changeset 005).
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

-- One row. The runtime role reads it (to open); only the owner writes it, and no one else sees it.
CREATE TABLE notification_seal_key (
    id          smallint PRIMARY KEY CHECK (id = 1),
    cipher_key  bytea NOT NULL CHECK (length(cipher_key) = 32),
    mac_key     bytea NOT NULL CHECK (length(mac_key) = 32)
);
REVOKE ALL ON notification_seal_key FROM PUBLIC;
INSERT INTO notification_seal_key (id, cipher_key, mac_key)
VALUES (1, public.gen_random_bytes(32), public.gen_random_bytes(32));

-- Sealed payload: base64(iv 16 bytes || ciphertext || tag 32 bytes) of '<channel> <message>'; the channel inside
-- the seal keeps a payload sealed for one feed from being replayed on the other. Owner only: whoever may call it
-- may forge, so only the trigger functions below (running as the owner) do.
CREATE FUNCTION notification_seal(channel text, message text) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k record;
    iv bytea := public.gen_random_bytes(16);
    sealed bytea;
BEGIN
    SELECT s.cipher_key, s.mac_key INTO STRICT k FROM public.notification_seal_key s WHERE s.id = 1;
    sealed := iv || public.encrypt_iv(convert_to(channel || ' ' || message, 'UTF8'), k.cipher_key, iv,
                                      'aes-cbc/pad:pkcs');
    RETURN translate(encode(sealed || public.hmac(sealed, k.mac_key, 'sha256'), 'base64'), E'\n', '');
END
$$;
REVOKE ALL ON FUNCTION notification_seal(text, text) FROM PUBLIC;

-- The announcing trigger functions of 013 and 016, the same messages sealed. SECURITY DEFINER: the runtime role
-- fires them but may not call notification_seal itself; a fixed search_path so that nothing the caller could
-- create is looked up.
CREATE OR REPLACE FUNCTION announce_credential_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'credentials' THEN
        PERFORM pg_notify('plugboard_credentials', public.notification_seal('plugboard_credentials',
                          changed.tenant_id::text || ':' || changed.id));
    ELSIF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('plugboard_credentials', public.notification_seal('plugboard_credentials',
                          changed.id::text));
    ELSE
        PERFORM pg_notify('plugboard_credentials', public.notification_seal('plugboard_credentials',
                          changed.tenant_id::text));
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION announce_credential_change() FROM PUBLIC;

CREATE OR REPLACE FUNCTION announce_portal_access_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('plugboard_portal_access', public.notification_seal('plugboard_portal_access',
                          'tenant:' || changed.id::text));
    ELSE
        PERFORM pg_notify('plugboard_portal_access', public.notification_seal('plugboard_portal_access',
                          'user:' || changed.id::text));
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION announce_portal_access_change() FROM PUBLIC;

--changeset plugboard:035-sql-login-limits splitStatements:false
-- What a tenant's SQL login may take of the server. Every session starts with these settings of its role; a login
-- may change them with SET (PostgreSQL has no per-role ceiling for them), so sql_login_enforce_limits, called by
-- every Plugboard instance every few seconds (SqlLoginLimits), cancels a statement that runs too long and ends a
-- transaction left open too long whatever the session set. The connection limit is the role's and holds as is.
-- The owner takes the privileges of each login (not the right to become it): only so may it cancel and end the
-- login's sessions and see how long they have been running.
CREATE FUNCTION sql_login_limit(login text) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 5', login);
    EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, '30s');
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '60s');
    EXECUTE format('ALTER ROLE %I SET idle_session_timeout = %L', login, '1h');
    EXECUTE format('ALTER ROLE %I SET work_mem = %L', login, '16MB');
    EXECUTE format('ALTER ROLE %I SET hash_mem_multiplier = 1', login);
    EXECUTE format('ALTER ROLE %I SET max_parallel_workers_per_gather = 0', login);
    IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
                   WHERE m.roleid = login::regrole AND m.member = current_user::regrole AND m.inherit_option) THEN
        EXECUTE format('GRANT %I TO %I WITH INHERIT TRUE, SET FALSE', login, current_user);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION sql_login_limit(text) FROM PUBLIC;

-- As in 033, with the limits applied on creation and on every new password.
CREATE OR REPLACE FUNCTION sql_login_set_password(for_tenant uuid, verifier text) RETURNS text
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
        -- Random, so that no role name (every role can read pg_roles) says which tenant it belongs to.
        login := 'plugboard_sql_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 16);
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
                       'INHERIT CONNECTION LIMIT 5 PASSWORD %L', login, verifier);
        EXECUTE format('GRANT plugboard_sql_read TO %I', login);
        EXECUTE format('ALTER ROLE %I SET search_path = tenant_data', login);
        EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', login);
        INSERT INTO public.sql_logins (tenant_id, role_name, created_at, password_changed_at)
        VALUES (for_tenant, login, now(), now());
    ELSE
        EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
        UPDATE public.sql_logins SET password_changed_at = now() WHERE tenant_id = for_tenant;
    END IF;
    PERFORM public.sql_login_limit(login);
    RETURN login;
END
$$;
REVOKE ALL ON FUNCTION sql_login_set_password(uuid, text) FROM PUBLIC;

-- Cancels the statements of SQL logins running longer than longest_statement and ends their sessions idle in a
-- transaction longer than longest_idle_transaction; returns how many it cancelled or ended. Logins are recognised
-- by name, so that a role kept after its revocation (sql_login_drop) is held too.
-- Any role may LISTEN, and a listening session that stops reading (or sits in a transaction) holds back the
-- server's notification queue: once it is full every NOTIFY fails, and with it every announced credential write.
-- When the queue is fuller than fullest_notify_queue (a share of it), every login's session is ended: Plugboard's
-- own listeners read all the time, so the queue fills only behind someone else.
CREATE FUNCTION sql_login_enforce_limits(longest_statement interval, longest_idle_transaction interval,
                                         fullest_notify_queue double precision)
    RETURNS integer
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    session record;
    stopped integer := 0;
    queue_full boolean := pg_notification_queue_usage() > fullest_notify_queue;
BEGIN
    FOR session IN SELECT a.pid, a.state FROM pg_stat_activity a
                   WHERE a.usename LIKE 'plugboard\_sql\_%' AND a.usename <> 'plugboard_sql_read'
                     AND (queue_full
                       OR (a.state = 'active' AND a.query_start < clock_timestamp() - longest_statement)
                       OR (a.state LIKE 'idle in transaction%'
                           AND a.state_change < clock_timestamp() - longest_idle_transaction)) LOOP
        IF session.state = 'active' AND NOT queue_full THEN
            IF pg_cancel_backend(session.pid) THEN
                stopped := stopped + 1;
            END IF;
        ELSIF pg_terminate_backend(session.pid) THEN
            stopped := stopped + 1;
        END IF;
    END LOOP;
    RETURN stopped;
END
$$;
REVOKE ALL ON FUNCTION sql_login_enforce_limits(interval, interval, double precision) FROM PUBLIC;

-- Logins made before this changeset get the same limits (they exist only where the owner has CREATEROLE).
DO $$
DECLARE
    login record;
BEGIN
    FOR login IN SELECT l.role_name FROM public.sql_logins l
                 WHERE EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = l.role_name) LOOP
        PERFORM public.sql_login_limit(login.role_name);
    END LOOP;
END $$;

--changeset plugboard:035-database-temp splitStatements:false
-- Every role may create temporary tables by default (TEMP to PUBLIC): a login that turns its read-only default off
-- could fill the disk with them. Only the database's owner may take that back; where the migrating role owns the
-- database it does so here, elsewhere the operator does (docs/operations.md). Plugboard's own roles keep it.
DO $$
DECLARE
    runtime text := '${runtimeRole}';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = current_database()
                   AND pg_has_role(current_user, d.datdba, 'USAGE')) THEN
        RAISE WARNING 'Not the owner of database %: revoke TEMPORARY from PUBLIC yourself (docs/operations.md)',
            current_database();
        RETURN;
    END IF;
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), current_user);
    IF runtime <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = runtime) THEN
        EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), runtime);
    END IF;
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;
