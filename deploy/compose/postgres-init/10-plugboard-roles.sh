#!/usr/bin/env bash
# First start of an empty volume only: the two roles Plugboard needs (docs/operations.md, "Database roles")
# and its database, owned by the owner role. The runtime role gets its table rights from the migrations.
# As superuser, also marks the functions of Plugboard's searches LEAKPROOF, so that under row-level security
# they use their indexes (docs/operations.md).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$PLUGBOARD_DB_OWNER_PASSWORD" \
  -v app_password="$PLUGBOARD_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE plugboard_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE plugboard_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE DATABASE plugboard OWNER plugboard_owner;
\connect plugboard
ALTER FUNCTION pg_catalog.texticlike(text, text) LEAKPROOF;
ALTER FUNCTION pg_catalog.lower(text) LEAKPROOF;
ALTER FUNCTION pg_catalog.jsonb_contains(jsonb, jsonb) LEAKPROOF;
SQL
