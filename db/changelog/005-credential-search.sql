--liquibase formatted sql

--changeset plugboard:005-credential-search-trigram
-- The credentials grid's free-text search (ILIKE '%text%' on the label and on the end user's external id,
-- e-mail and name) needs trigram indexes: without them it read every credential of the tenant, 1.5-2 s at a
-- million rows (docs/benchmarks-credentials.md). pg_trgm ships with PostgreSQL (contrib) and is a trusted
-- extension since PostgreSQL 13: a database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX credentials_label_trgm ON credentials USING gin (label gin_trgm_ops);
CREATE INDEX end_users_search_trgm ON end_users USING gin (external_id gin_trgm_ops, email gin_trgm_ops,
    display_name gin_trgm_ops);
