--liquibase formatted sql

--changeset plugboard:002-custom-connectors
CREATE TABLE custom_connectors (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid         NOT NULL REFERENCES tenants (id),
    app_key             varchar(50)  NOT NULL,
    definition          text         NOT NULL,
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL,
    UNIQUE (tenant_id, app_key)
);

--changeset plugboard:002-integrations
CREATE TABLE integrations (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid         NOT NULL REFERENCES tenants (id),
    app_key             varchar(50)  NOT NULL,
    enabled             boolean      NOT NULL,
    client_id           varchar(500),
    client_secret       bytea,
    scopes              varchar(2000),
    updated_at          timestamptz  NOT NULL,
    UNIQUE (tenant_id, app_key)
);

--changeset plugboard:002-end-users
CREATE TABLE end_users (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid         NOT NULL REFERENCES tenants (id),
    external_id         varchar(200) NOT NULL,
    email               varchar(254),
    display_name        varchar(200),
    created_at          timestamptz  NOT NULL,
    UNIQUE (tenant_id, external_id)
);

--changeset plugboard:002-credentials
CREATE TABLE credentials (
    id                  varchar(40)  PRIMARY KEY,
    tenant_id           uuid         NOT NULL REFERENCES tenants (id),
    app_key             varchar(50)  NOT NULL,
    end_user_id         uuid         NOT NULL REFERENCES end_users (id),
    label               varchar(200),
    status              varchar(20)  NOT NULL CHECK (status IN ('ACTIVE', 'REFRESH_FAILED', 'REVOKED', 'EXPIRED')),
    secret              bytea,
    metadata            jsonb        NOT NULL DEFAULT '{}'::jsonb,
    -- Non-secret connection settings (a subdomain, a client ID, Salesforce's instance URL).
    config              jsonb        NOT NULL DEFAULT '{}'::jsonb,
    scopes              varchar(2000),
    expires_at          timestamptz,
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL,
    last_refreshed_at   timestamptz,
    last_used_at        timestamptz,
    revoked_at          timestamptz,
    revoked_by          varchar(254),
    -- The secret is destroyed on revoke; the row stays for the audit trail.
    CONSTRAINT credentials_revoked_have_no_secret CHECK (status <> 'REVOKED' OR secret IS NULL)
);
-- The grid and the API list a tenant's credentials newest first, optionally narrowed by connector,
-- status or end user; (created_at, id) is the keyset for cursor pagination.
CREATE INDEX credentials_tenant_created ON credentials (tenant_id, created_at DESC, id DESC);
CREATE INDEX credentials_tenant_app_status ON credentials (tenant_id, app_key, status, created_at DESC, id DESC);
CREATE INDEX credentials_tenant_status ON credentials (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX credentials_tenant_end_user ON credentials (tenant_id, end_user_id, created_at DESC);
CREATE INDEX credentials_metadata ON credentials USING gin (metadata jsonb_path_ops);

