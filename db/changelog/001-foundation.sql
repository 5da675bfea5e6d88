--liquibase formatted sql

--changeset plugboard:001-tenants
CREATE TABLE tenants (
    id                  uuid PRIMARY KEY,
    slug                varchar(63)  NOT NULL UNIQUE,
    name                varchar(200) NOT NULL,
    status              varchar(16)  NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    client_id           varchar(64)  NOT NULL UNIQUE,
    client_secret       bytea        NOT NULL,
    created_at          timestamptz  NOT NULL,
    suspended_at        timestamptz,
    secret_rotated_at   timestamptz  NOT NULL
);

--changeset plugboard:001-portal-users
CREATE TABLE portal_users (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid REFERENCES tenants (id),
    email               varchar(254) NOT NULL UNIQUE,
    display_name        varchar(200) NOT NULL,
    role                varchar(32)  NOT NULL CHECK (role IN ('TENANT_ADMIN', 'AUDITOR', 'SUPPORT', 'PLATFORM_ADMIN')),
    password_hash       varchar(255) NOT NULL,
    enabled             boolean      NOT NULL,
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL,
    -- Platform roles live outside tenants; tenant roles inside exactly one.
    CONSTRAINT portal_users_scope CHECK (
        (role IN ('SUPPORT', 'PLATFORM_ADMIN') AND tenant_id IS NULL)
        OR role = 'AUDITOR'
        OR (role = 'TENANT_ADMIN' AND tenant_id IS NOT NULL))
);
CREATE INDEX portal_users_tenant ON portal_users (tenant_id, email);

--changeset plugboard:001-sign-in-failures
-- Keyed by the typed e-mail (existing or not) so lockout behaves the same for unknown accounts.
CREATE TABLE sign_in_failures (
    email               varchar(254) PRIMARY KEY,
    failures            integer      NOT NULL,
    locked_until        timestamptz,
    last_failure_at     timestamptz  NOT NULL
);

--changeset plugboard:001-audit-events splitStatements:false
CREATE TABLE audit_events (
    seq                 bigint PRIMARY KEY,
    occurred_at         timestamptz  NOT NULL,
    actor_type          varchar(16)  NOT NULL,
    actor_id            varchar(100),
    actor_label         varchar(254),
    tenant_id           uuid,
    action              varchar(100) NOT NULL,
    target_type         varchar(50),
    target_id           varchar(100),
    reason              varchar(1000),
    details             text         NOT NULL,
    source_ip           varchar(64),
    user_agent          varchar(512),
    prev_hash           char(64)     NOT NULL,
    hash                char(64)     NOT NULL
);
CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, occurred_at DESC);
CREATE INDEX audit_events_time ON audit_events (occurred_at DESC);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
