--liquibase formatted sql

--changeset plugboard:010-audit-review
-- Per-target timelines: what a portal user did (actor) and everything about one end user, whose id the
-- connect-session and credential events carry in their details.
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq DESC);
CREATE INDEX audit_events_end_user ON audit_events (tenant_id, ((details::jsonb ->> 'endUser')), seq DESC);

-- A reviewer's named filters, private to them and to the tenant (or platform-wide view) they were made in.
CREATE TABLE audit_saved_filters (
    id          uuid PRIMARY KEY,
    user_id     uuid         NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
    tenant_id   uuid         REFERENCES tenants (id) ON DELETE CASCADE,
    name        varchar(80)  NOT NULL,
    filter      jsonb        NOT NULL,
    created_at  timestamptz  NOT NULL
);
CREATE UNIQUE INDEX audit_saved_filters_name ON audit_saved_filters (user_id, COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'), lower(name));

-- Every walk of the chain, scheduled or asked for: the audit view shows the last one.
CREATE TABLE audit_verifications (
    id                bigserial PRIMARY KEY,
    verified_at       timestamptz  NOT NULL,
    trigger           varchar(16)  NOT NULL,
    intact            boolean      NOT NULL,
    events_checked    bigint       NOT NULL,
    first_broken_seq  bigint,
    message           varchar(500) NOT NULL,
    duration_ms       bigint       NOT NULL
);
CREATE INDEX audit_verifications_time ON audit_verifications (verified_at DESC);
