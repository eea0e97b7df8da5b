#!/usr/bin/env bash
# PostgreSQL first-start init (docker-entrypoint-initdb.d): one login role and one database per
# service, each role owning only its own database, nobody else allowed to connect to it. The
# services create their tables themselves (migrations at start). Passwords come from the
# environment (USERS_DB_PASSWORD, ORDERS_DB_PASSWORD), never from this file.
set -euo pipefail

: "${USERS_DB_PASSWORD:?USERS_DB_PASSWORD must be set}"
: "${ORDERS_DB_PASSWORD:?ORDERS_DB_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v users_password="$USERS_DB_PASSWORD" -v orders_password="$ORDERS_DB_PASSWORD" <<'SQL'
CREATE ROLE users_service LOGIN PASSWORD :'users_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE orders_service LOGIN PASSWORD :'orders_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;

CREATE DATABASE users OWNER users_service;
CREATE DATABASE orders OWNER orders_service;

-- Only the owner (and the superuser) may connect; no service reaches another's tables.
REVOKE ALL ON DATABASE users FROM PUBLIC;
REVOKE ALL ON DATABASE orders FROM PUBLIC;
SQL

# The public schema of each database belongs to its service (PostgreSQL 15+ no longer lets
# PUBLIC create in it; older servers still do, so revoke explicitly).
for pair in users:users_service orders:orders_service; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${pair%%:*}" \
    -c "ALTER SCHEMA public OWNER TO ${pair#*:}; REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
done
