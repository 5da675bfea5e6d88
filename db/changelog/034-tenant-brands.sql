--liquibase formatted sql

--changeset plugboard:034-tenant-brands splitStatements:false
-- How a tenant's hosted connect page looks (docs/connect.md, "In your brand"). One row per tenant that changed
-- anything; no row: Plugboard's own look with the tenant's name. The logo is stored sanitised (SVG) or as checked
-- (PNG, JPEG) and served under logo_id, a random id replaced at every upload, so its URL names no tenant and a new
-- logo is never hidden behind a cached old one.
CREATE TABLE tenant_brands (
    tenant_id      uuid          PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    display_name   varchar(80),
    primary_color  varchar(7),
    support_email  varchar(254),
    support_url    varchar(500),
    chooser_text   varchar(500),
    powered_by     boolean       NOT NULL DEFAULT true,
    logo           bytea,
    logo_type      varchar(20),
    logo_id        uuid          UNIQUE,
    updated_at     timestamptz   NOT NULL
);

-- Row-level security as on every tenant table (changeset 020, decision 0007).
DO $$
DECLARE
    visible constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
BEGIN
    ALTER TABLE tenant_brands ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY tenant_scope ON tenant_brands USING (%s) WITH CHECK (%s)', visible, visible);
END $$;
