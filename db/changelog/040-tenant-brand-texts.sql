--liquibase formatted sql

--changeset plugboard:040-tenant-brand-texts splitStatements:false
-- The chooser text of a tenant's connect page in each language the page speaks (docs/connect.md, "In your brand");
-- tenant_brands.chooser_text is shown in every language without a row here.
CREATE TABLE tenant_brand_texts (
    tenant_id     uuid          NOT NULL REFERENCES tenant_brands (tenant_id) ON DELETE CASCADE,
    language      varchar(8)    NOT NULL,
    chooser_text  varchar(500)  NOT NULL,
    PRIMARY KEY (tenant_id, language)
);

-- Row-level security as on every tenant table (changeset 020, decision 0007).
DO $$
DECLARE
    visible constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
BEGIN
    ALTER TABLE tenant_brand_texts ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY tenant_scope ON tenant_brand_texts USING (%s) WITH CHECK (%s)', visible, visible);
END $$;
