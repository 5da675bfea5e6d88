--liquibase formatted sql

--changeset plugboard:021-audit-checkpoints
-- Audit checkpoints live outside the database (a file, the log, webhook receivers); this table only lets
-- several instances agree that one of them wrote the checkpoint of an interval. Verification never reads it.
CREATE TABLE audit_checkpoints (
    id              bigserial PRIMARY KEY,
    position        bigint      NOT NULL,
    head_hash       text        NOT NULL,
    checkpointed_at timestamptz NOT NULL,
    key_id          bigint      NOT NULL,
    mac             text        NOT NULL
);
CREATE INDEX audit_checkpoints_time ON audit_checkpoints (checkpointed_at DESC);

--changeset plugboard:021-audit-events-tenant-seq runInTransaction:false
-- A tenant's export reads its events in pages keyed by seq; this index makes each page a short range scan,
-- whatever the planner believes about the tenant's share of the table. Built concurrently, so audited
-- writes of running instances are not blocked while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_events_tenant_seq ON audit_events (tenant_id, seq);
