--liquibase formatted sql

--changeset plugboard:023-refresh-claims
-- A token refresh in progress. The instance that claims it (refresh_claim, a random token) talks to the token
-- endpoint holding no row lock, transaction or database connection; the others see the claim and wait for its
-- result. refresh_claimed_until is past the token request's overall deadline, so only an instance that died mid-
-- refresh leaves a claim behind, and it lapses then. The result is written only under the claim it was made with.
ALTER TABLE credentials ADD COLUMN refresh_claim uuid;
ALTER TABLE credentials ADD COLUMN refresh_claimed_until timestamptz;
