--liquibase formatted sql

--changeset plugboard:011-request-templates
-- The API console's saved requests, per tenant and connector, shared by the tenant's admins.
CREATE TABLE request_templates (
    id          uuid PRIMARY KEY,
    tenant_id   uuid          NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    app_key     varchar(64)   NOT NULL,
    name        varchar(80)   NOT NULL,
    method      varchar(10)   NOT NULL,
    path        varchar(2000) NOT NULL,
    query       varchar(2000),
    headers     text          NOT NULL,
    body        text,
    created_by  varchar(254)  NOT NULL,
    created_at  timestamptz   NOT NULL
);
CREATE UNIQUE INDEX request_templates_name ON request_templates (tenant_id, app_key, lower(name));
