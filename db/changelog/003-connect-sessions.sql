--liquibase formatted sql

--changeset plugboard:003-tenant-allowed-origins
-- Origins (scheme://host[:port]) that may embed the connect page, receive its postMessage and be
-- redirected to after a connection; space-separated.
ALTER TABLE tenants ADD COLUMN allowed_origins varchar(4000) NOT NULL DEFAULT '';

--changeset plugboard:003-connect-sessions
CREATE TABLE connect_sessions (
    id                      varchar(40)  PRIMARY KEY,
    tenant_id               uuid         NOT NULL REFERENCES tenants (id),
    end_user_id             varchar(200) NOT NULL,
    end_user_email          varchar(254),
    end_user_name           varchar(200),
    allowed_connectors      varchar(4000),
    prefill                 jsonb        NOT NULL DEFAULT '{}'::jsonb,
    metadata                jsonb        NOT NULL DEFAULT '{}'::jsonb,
    redirect_url            varchar(2000),
    reconnect_credential_id varchar(40),
    -- Only a SHA-256 of the token is kept; the token itself is shown once.
    token_hash              char(64)     NOT NULL UNIQUE,
    expires_at              timestamptz  NOT NULL,
    status                  varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'CANCELLED')),
    credential_ids          varchar(2000) NOT NULL DEFAULT '',
    created_at              timestamptz  NOT NULL,
    created_by              varchar(254) NOT NULL,
    completed_at            timestamptz
);
CREATE INDEX connect_sessions_tenant ON connect_sessions (tenant_id, created_at DESC);

--changeset plugboard:003-oauth-states
-- One row per authorization redirect: single use, ten minutes, bound to its connect session.
CREATE TABLE oauth_states (
    state_hash              char(64)     PRIMARY KEY,
    session_id              varchar(40)  NOT NULL REFERENCES connect_sessions (id),
    tenant_id               uuid         NOT NULL REFERENCES tenants (id),
    app_key                 varchar(50)  NOT NULL,
    code_verifier           bytea,
    metadata                jsonb        NOT NULL DEFAULT '{}'::jsonb,
    config                  jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at              timestamptz  NOT NULL,
    expires_at              timestamptz  NOT NULL,
    used_at                 timestamptz
);
CREATE INDEX oauth_states_session ON oauth_states (session_id);
