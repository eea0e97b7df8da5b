#!/usr/bin/env bash
# Makes sure the benchmark tools are installed: pgbench (Debian ships it with the PostgreSQL
# server and client packages; postgresql-contrib on older releases). Installs from the
# distribution's packages only.
set -euo pipefail

have_pgbench() { command -v pgbench >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/pgbench' >/dev/null; }

if have_pgbench; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo '[bench-tools] installing pgbench (postgresql-contrib) from the distribution'
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >/dev/null
fi
have_pgbench || { echo '[bench-tools] pgbench not found: install postgresql-contrib'; exit 1; }
