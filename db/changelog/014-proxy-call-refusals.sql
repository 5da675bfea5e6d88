--liquibase formatted sql

--changeset plugboard:014-proxy-call-refusals
-- Calls Plugboard refused before the provider was reached (unknown or unusable credential, forbidden destination,
-- failed token refresh, bad request...) are logged too, with the status the caller got.
-- A credential id that matches no credential of the tenant has no connector: app_key is NULL then.
ALTER TABLE proxy_calls ALTER COLUMN app_key DROP NOT NULL;
-- The problem type (e.g. credential-not-found, forbidden-destination, provider-timeout) when Plugboard answered
-- instead of the provider; NULL when the provider's answer was passed on. Both changes are catalogue-only in
-- PostgreSQL: no rewrite of a large call log.
ALTER TABLE proxy_calls ADD COLUMN problem varchar(50);
