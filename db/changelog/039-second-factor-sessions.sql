--liquibase formatted sql

--changeset plugboard:039-second-factor splitStatements:false
-- A portal user's second factor (docs/security.md, "Second factor"). The TOTP secret is sealed by the vault, bound to
-- the user's row; last_step is the last time step a code was accepted for, so no code works twice. Recovery codes are
-- stored as password hashes, each usable once. tenant_id copies the user's (null for platform staff) for row-level
-- security; the services reach these rows in the platform scope by the signed-in user's own id.
CREATE TABLE portal_user_factors (
    user_id      uuid         PRIMARY KEY REFERENCES portal_users (id) ON DELETE CASCADE,
    tenant_id    uuid         REFERENCES tenants (id),
    totp_secret  bytea        NOT NULL,
    enrolled_at  timestamptz  NOT NULL,
    last_step    bigint       NOT NULL DEFAULT 0
);

CREATE TABLE portal_user_recovery_codes (
    id           uuid         PRIMARY KEY,
    user_id      uuid         NOT NULL REFERENCES portal_user_factors (user_id) ON DELETE CASCADE,
    tenant_id    uuid         REFERENCES tenants (id),
    code_hash    varchar(255) NOT NULL,
    used_at      timestamptz
);
CREATE INDEX portal_user_recovery_codes_user ON portal_user_recovery_codes (user_id);

-- A tenant admin's rule that every user of the tenant signs in with a second factor.
ALTER TABLE tenants ADD COLUMN require_second_factor boolean NOT NULL DEFAULT false;

--changeset plugboard:039-portal-sessions splitStatements:false
-- Signed-in portal sessions, for "Active sessions" and signing out elsewhere. A row is registered on a session's first
-- signed-in request; ended_at is set when it signs out, expires or is ended from another session. Every request of a
-- session checks its row (PortalSessionRegistry), kept in memory while the plugboard_portal_sessions feed is live:
-- ending a session is announced on it when it commits, so every instance refuses the session's next request.
CREATE TABLE portal_sessions (
    id            uuid         PRIMARY KEY,
    user_id       uuid         NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
    tenant_id     uuid         REFERENCES tenants (id),
    started_at    timestamptz  NOT NULL,
    last_seen_at  timestamptz  NOT NULL,
    user_agent    varchar(512),
    source_ip     varchar(64),
    ended_at      timestamptz,
    ended_reason  varchar(32)
);
CREATE INDEX portal_sessions_user ON portal_sessions (user_id) WHERE ended_at IS NULL;
CREATE INDEX portal_sessions_ended ON portal_sessions (ended_at);

-- Sealed like the other change feeds (changeset 035, decision 0010): any role may listen, a tenant's SQL login too,
-- and must learn no session's id nor be able to end one by a notification of its own.
CREATE FUNCTION announce_portal_session_end() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_notify('plugboard_portal_sessions', public.notification_seal('plugboard_portal_sessions',
                      NEW.id::text));
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION announce_portal_session_end() FROM PUBLIC;

CREATE TRIGGER portal_sessions_announce_end AFTER UPDATE ON portal_sessions FOR EACH ROW
    WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL)
    EXECUTE FUNCTION announce_portal_session_end();

-- Row-level security as on every tenant table (changeset 020, decision 0007).
DO $$
DECLARE
    visible constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['portal_user_factors', 'portal_user_recovery_codes', 'portal_sessions'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_scope ON %I USING (%s) WITH CHECK (%s)', t, visible, visible);
    END LOOP;
END $$;
