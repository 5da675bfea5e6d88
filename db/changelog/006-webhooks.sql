--liquibase formatted sql

--changeset plugboard:006-webhook-endpoints
-- Where a tenant wants its events. The signing secrets are sealed by the vault (bound to the row); during a
-- rotation's overlap the previous secret signs too, until previous_secret_until.
CREATE TABLE webhook_endpoints (
    id                      uuid          PRIMARY KEY,
    tenant_id               uuid          NOT NULL REFERENCES tenants (id),
    url                     varchar(2000) NOT NULL,
    description             varchar(200),
    event_types             text[]        NOT NULL,
    enabled                 boolean       NOT NULL,
    disabled_reason         varchar(300),
    secret                  bytea         NOT NULL,
    previous_secret         bytea,
    previous_secret_until   timestamptz,
    secret_rotated_at       timestamptz   NOT NULL,
    consecutive_failures    integer       NOT NULL DEFAULT 0,
    last_success_at         timestamptz,
    last_failure_at         timestamptz,
    created_at              timestamptz   NOT NULL,
    updated_at              timestamptz   NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at);

--changeset plugboard:006-webhook-outbox
-- The outbox: an event is written in the same transaction as the change that caused it, with one delivery per
-- endpoint subscribed at that moment. payload is the exact body that is signed and sent.
CREATE TABLE webhook_events (
    id                      varchar(40)   PRIMARY KEY,
    tenant_id               uuid          NOT NULL REFERENCES tenants (id),
    type                    varchar(60)   NOT NULL,
    payload                 text          NOT NULL,
    created_at              timestamptz   NOT NULL
);
CREATE INDEX webhook_events_created ON webhook_events (created_at);

-- id orders deliveries: for one endpoint and one ordering key (a credential), a delivery waits while an earlier one
-- is still PENDING. A worker claims a due row with FOR UPDATE SKIP LOCKED and leases it (lease_until, lease_token);
-- a lease that runs out (the worker died) makes the row claimable again: at least once. Rows that cannot be claimed
-- are kept out of the due range so a claim never walks them: the followers of a delivery in backoff wait until its
-- next attempt, and the deliveries of a disabled endpoint until 'infinity'.
CREATE TABLE webhook_deliveries (
    id                      bigserial     PRIMARY KEY,
    tenant_id               uuid          NOT NULL REFERENCES tenants (id),
    endpoint_id             uuid          NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id                varchar(40)   NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    event_type              varchar(60)   NOT NULL,
    ordering_key            varchar(60),
    status                  varchar(12)   NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts                integer       NOT NULL DEFAULT 0,
    next_attempt_at         timestamptz   NOT NULL,
    give_up_at              timestamptz   NOT NULL,
    lease_until             timestamptz,
    lease_token             uuid,
    last_attempt_at         timestamptz,
    last_status_code        integer,
    last_error              varchar(300),
    last_response           varchar(500),
    delivered_at            timestamptz,
    finished_at             timestamptz,
    created_at              timestamptz   NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (endpoint_id, ordering_key, id) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_tenant_log ON webhook_deliveries (tenant_id, id DESC);
CREATE INDEX webhook_deliveries_endpoint_log ON webhook_deliveries (endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'PENDING';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
