--liquibase formatted sql

--changeset plugboard:018-provider-revocations
-- What became of telling the provider about a revocation (RFC 7009), one row per credential revoked from now on.
-- The credential's own row keeps no secret once revoked, so what a retry needs (the token to revoke and, without a
-- tenant OAuth app, the credential's client id and secret) is kept here, sealed by the vault and bound to this row
-- and tenant, only while the revocation is PENDING: it is destroyed when the provider confirms or the retries give
-- up. revocation_url and client_auth are what the first attempt used; a retry refuses to send the material anywhere
-- else (the connector's definition changed since). Claims work as webhook deliveries do: FOR UPDATE SKIP LOCKED
-- and a lease (lease_until, lease_token) that a worker which died loses.
CREATE TABLE provider_revocations (
    credential_id    varchar(40)   PRIMARY KEY REFERENCES credentials (id),
    tenant_id        uuid          NOT NULL REFERENCES tenants (id),
    app_key          varchar(50)   NOT NULL,
    status           varchar(14)   NOT NULL CHECK (status IN ('PENDING', 'DONE', 'FAILED', 'NOT_SUPPORTED')),
    revocation_url   varchar(2000),
    client_auth      varchar(40),
    material         bytea,
    attempts         integer       NOT NULL DEFAULT 0,
    last_attempt_at  timestamptz,
    last_error       varchar(300),
    next_attempt_at  timestamptz,
    give_up_at       timestamptz,
    lease_until      timestamptz,
    lease_token      uuid,
    created_at       timestamptz   NOT NULL,
    finished_at      timestamptz,
    CONSTRAINT provider_revocations_material_only_while_pending CHECK ((status = 'PENDING') = (material IS NOT NULL)),
    CONSTRAINT provider_revocations_pending_is_scheduled CHECK (status <> 'PENDING'
        OR (next_attempt_at IS NOT NULL AND give_up_at IS NOT NULL AND revocation_url IS NOT NULL))
);
CREATE INDEX provider_revocations_due ON provider_revocations (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX provider_revocations_tenant ON provider_revocations (tenant_id, status);
