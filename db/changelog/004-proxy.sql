--liquibase formatted sql

--changeset plugboard:004-credential-refresh
-- When the last refresh failed for good (invalid_grant); refreshes pause for a cooldown after it.
ALTER TABLE credentials ADD COLUMN refresh_failed_at timestamptz;
-- Transient failures back off without changing the status.
ALTER TABLE credentials ADD COLUMN refresh_retry_at timestamptz;
CREATE INDEX credentials_expiring ON credentials (expires_at) WHERE status = 'ACTIVE' AND expires_at IS NOT NULL;

--changeset plugboard:004-proxy-calls
-- One row per proxied call: no bodies, no query values, no secrets.
CREATE TABLE proxy_calls (
    id                  bigserial    PRIMARY KEY,
    tenant_id           uuid         NOT NULL,
    credential_id       varchar(40)  NOT NULL,
    app_key             varchar(50)  NOT NULL,
    method              varchar(10)  NOT NULL,
    path                varchar(2000) NOT NULL,
    status              integer      NOT NULL,
    latency_ms          integer      NOT NULL,
    bytes_in            bigint       NOT NULL,
    bytes_out           bigint       NOT NULL,
    retries             integer      NOT NULL,
    source              varchar(10)  NOT NULL CHECK (source IN ('API', 'PORTAL')),
    actor               varchar(254) NOT NULL,
    request_id          varchar(40)  NOT NULL,
    created_at          timestamptz  NOT NULL
);
CREATE INDEX proxy_calls_tenant_time ON proxy_calls (tenant_id, created_at DESC);
CREATE INDEX proxy_calls_credential_time ON proxy_calls (credential_id, created_at DESC);
CREATE INDEX proxy_calls_time ON proxy_calls (created_at);

--changeset plugboard:004-credential-last-check
-- The outcome of the last call an admin ran from the portal (a test or console run).
ALTER TABLE credentials ADD COLUMN last_check_status integer;
ALTER TABLE credentials ADD COLUMN last_check_at timestamptz;
