--liquibase formatted sql

--changeset plugboard:025-connector-settings
-- A tenant's settings for a connector beside its OAuth app (tenantSettings in the connector's definition), which
-- fill fixed headers on every call. setting_values: the plain settings, a JSON object. secret_settings: the secret
-- ones, a JSON object sealed by the vault like client_secret, for the destination in secret_settings_destination
-- (decision 0006); integrations already has row-level security (changeset 020).
ALTER TABLE integrations ADD COLUMN setting_values text;
ALTER TABLE integrations ADD COLUMN secret_settings bytea;
ALTER TABLE integrations ADD COLUMN secret_settings_destination varchar(64);
