--liquibase formatted sql

--changeset plugboard:009-support-search
-- The Support page looks up end users across all tenants by exact external id or e-mail (any case). The existing
-- end-user indexes lead with tenant_id (unique) or are trigram indexes for substring search inside a tenant, so
-- without these a lookup read every end user of every tenant.
CREATE INDEX end_users_external_id ON end_users (external_id);
CREATE INDEX end_users_email_lower ON end_users (lower(email));
-- ...and tenants by part of their name (any case) or slug, as the tenant pickers do (pg_trgm from 005).
CREATE INDEX tenants_search_trgm ON tenants USING gin (lower(name) gin_trgm_ops, slug gin_trgm_ops);
