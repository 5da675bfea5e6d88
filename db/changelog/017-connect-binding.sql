--liquibase formatted sql

--changeset plugboard:017-oauth-state-browser-binding
-- SHA-256 of a random value the browser that started the authorization request keeps in an HttpOnly cookie;
-- the callback completes only with that cookie. States issued before this column existed have none and are
-- refused at the callback (they lived ten minutes at most).
ALTER TABLE oauth_states ADD COLUMN browser_binding char(64);
