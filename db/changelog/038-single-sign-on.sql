--liquibase formatted sql

--changeset plugboard:038-single-sign-on splitStatements:false
-- A tenant's OpenID Connect identity provider for portal sign-in (docs/security.md, "Single sign-on"). One row per
-- tenant that configured one. The client secret is sealed with the master key like every other stored secret
-- (binding tenant_sso.client_secret, the tenant, its id) and never read back out to a browser or API client.
-- allowed_domains: the e-mail domains the sign-in page sends to this provider, lower case; a domain belongs to one
-- tenant at most (checked by the application before it writes, across tenants).
CREATE TABLE tenant_sso (
    tenant_id       uuid          PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    issuer          varchar(500)  NOT NULL,
    client_id       varchar(255)  NOT NULL,
    client_secret   bytea         NOT NULL,
    allowed_domains text[]        NOT NULL,
    role_claim      varchar(100),
    admin_values    text[]        NOT NULL DEFAULT '{}',
    auditor_values  text[]        NOT NULL DEFAULT '{}',
    default_role    varchar(20)   CHECK (default_role IN ('TENANT_ADMIN', 'AUDITOR')),
    required        boolean       NOT NULL DEFAULT false,
    updated_at      timestamptz   NOT NULL
);

CREATE INDEX tenant_sso_domains ON tenant_sso USING gin (allowed_domains);

-- The one tenant admin who may still sign in with a password while the tenant requires single sign-on: named by a
-- platform admin, never by the tenant itself, so that a broken identity provider cannot lock a tenant out.
ALTER TABLE tenants ADD COLUMN sso_break_glass_user_id uuid REFERENCES portal_users (id) ON DELETE SET NULL;

-- Row-level security as on every tenant table (changeset 020, decision 0007).
DO $$
DECLARE
    visible constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
BEGIN
    ALTER TABLE tenant_sso ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY tenant_scope ON tenant_sso USING (%s) WITH CHECK (%s)', visible, visible);
END $$;
