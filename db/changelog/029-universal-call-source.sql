--liquibase formatted sql

--changeset plugboard:029-universal-call-source
-- Calls the Universal CRM API makes to a provider are logged like proxied calls, with their own source.
-- NOT VALID: every existing row is API or PORTAL, and a large call log is not scanned to prove it.
ALTER TABLE proxy_calls DROP CONSTRAINT proxy_calls_source_check;
ALTER TABLE proxy_calls ADD CONSTRAINT proxy_calls_source_check CHECK (source IN ('API', 'PORTAL', 'UNIVERSAL')) NOT VALID;
