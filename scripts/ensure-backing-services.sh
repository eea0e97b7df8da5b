#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on the addresses the tests use, starting the
# machine's installed servers when they are not running. Installs nothing it cannot find
# in the distribution's packages.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

log() { printf '[backing] %s\n' "$*"; }

wait_for() { # name, tries, command...
  local name=$1 tries=$2; shift 2
  for _ in $(seq "$tries"); do
    if "$@" >/dev/null 2>&1; then log "$name is up"; return 0; fi
    sleep 0.5
  done
  log "$name did not come up"; return 1
}

if ! command -v pg_isready >/dev/null || ! command -v redis-cli >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing postgresql and redis from the distribution"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
  else
    log "pg_isready/redis-cli not found: install PostgreSQL and Redis"; exit 1
  fi
fi

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  log "starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    for version in /etc/postgresql/*; do
      pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
    done
  fi
  wait_for PostgreSQL 40 pg_isready -h "$PGHOST" -p "$PGPORT"
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "${TMPDIR:-/tmp}" --logfile "${TMPDIR:-/tmp}/lom-ci-redis.log"
  wait_for Redis 40 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
fi
