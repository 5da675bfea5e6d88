--liquibase formatted sql

--changeset plugboard:016-portal-access-epoch splitStatements:false
-- A portal session carries the access epoch its user had at sign-in; every request compares it with the row's.
-- The trigger bumps it whenever something that decides sign-in changes (enabled, role, tenant, password), so
-- every writer is covered: services, other instances, manual SQL.
ALTER TABLE portal_users ADD COLUMN access_epoch bigint NOT NULL DEFAULT 0;

CREATE FUNCTION bump_portal_access_epoch() RETURNS trigger AS $$
BEGIN
    NEW.access_epoch := OLD.access_epoch + 1;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER portal_users_bump_access_epoch BEFORE UPDATE ON portal_users FOR EACH ROW
    WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.role IS DISTINCT FROM NEW.role
          OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
    EXECUTE FUNCTION bump_portal_access_epoch();

--changeset plugboard:016-portal-access-feed splitStatements:false
-- Announced on the channel plugboard_portal_access when it commits (NOTIFY is transactional), so every instance
-- drops its cached copy of the user's or the tenant's access at once (PortalAccess).
-- Payload: 'user:<user id>' or 'tenant:<tenant id>'.
CREATE FUNCTION announce_portal_access_change() RETURNS trigger AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('plugboard_portal_access', 'tenant:' || changed.id::text);
    ELSE
        PERFORM pg_notify('plugboard_portal_access', 'user:' || changed.id::text);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER portal_users_announce_access AFTER UPDATE ON portal_users FOR EACH ROW
    WHEN (OLD.access_epoch IS DISTINCT FROM NEW.access_epoch)
    EXECUTE FUNCTION announce_portal_access_change();
CREATE TRIGGER portal_users_announce_delete AFTER DELETE ON portal_users FOR EACH ROW
    EXECUTE FUNCTION announce_portal_access_change();
CREATE TRIGGER tenants_announce_access AFTER UPDATE ON tenants FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION announce_portal_access_change();

--changeset plugboard:016-repeated-failures
-- Anonymous failures of one kind from one source are counted here per window instead of each growing the
-- append-only audit trail: the first is audited at once, the count when the window closes (RepeatedFailures).
CREATE TABLE audit_repeated_failures (
    kind                varchar(100) NOT NULL,
    source              varchar(100) NOT NULL,
    window_start        timestamptz  NOT NULL,
    window_end          timestamptz  NOT NULL,
    tenant_id           uuid,
    occurrences         bigint       NOT NULL,
    last_at             timestamptz  NOT NULL,
    PRIMARY KEY (kind, source, window_start)
);
CREATE INDEX audit_repeated_failures_end ON audit_repeated_failures (window_end);

--changeset plugboard:016-purge-indexes
-- The purge jobs find expired rows by these.
CREATE INDEX sign_in_failures_last_failure ON sign_in_failures (last_failure_at);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);
