#!/usr/bin/env bash
# `make test-compose` (full) and `make test-compose-short` (--prebuilt): docker-compose.yml
# built and run on this machine, checked through its published ports only.
#
#   scripts/test-compose.sh             docker compose up --build --wait: every image built
#                                       from its Dockerfile (the Rust services' shared
#                                       dependency build is compiled once, CARGO_JOBS=1 by default)
#   scripts/test-compose.sh --prebuilt  the same compose file, healthchecks, networks, env
#                                       wiring and database init, but the Rust images wrap the
#                                       binaries `cargo build` made here (debug, as the rest of
#                                       make test builds them) and the dashboard image wraps
#                                       the host's `next build` output, each in the images'
#                                       real runtime stage (target `prebuilt`)
#
# Steps: the engine (scripts/ensure-docker.sh), the base images (scripts/make-base-images.sh:
# official names when they can be pulled, local stand-ins otherwise), a private project name
# and ports (LOM_COMPOSE_GATEWAY_PORT / LOM_COMPOSE_FRONTEND_PORT, default 18080 / 13000),
# random secrets in .data/compose-test/.env, `up --build --wait`, the checks of
# scripts/compose-check.mjs (sign in, order, Socket.IO event, assign, restart orders-service,
# nothing lost, replay), the dashboard's sign-in page through its port, the containers' users
# and read-only root filesystems, image sizes and build time; then `docker compose down -v`,
# and dockerd stopped again if this script started it (LOM_KEEP_DOCKERD=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MODE=full
case "${1:-}" in
  --prebuilt) MODE=prebuilt ;;
  '') ;;
  *) echo "usage: scripts/test-compose.sh [--prebuilt]" >&2; exit 2 ;;
esac

PROJECT=${LOM_COMPOSE_PROJECT:-lom-compose-test}
GATEWAY_PORT=${LOM_COMPOSE_GATEWAY_PORT:-18080}
FRONTEND_PORT=${LOM_COMPOSE_FRONTEND_PORT:-13000}
WORK=$ROOT/.data/compose-test
ENV_FILE=$WORK/.env
STARTED_AT=$SECONDS

log() { printf '[compose-test] %s\n' "$*"; }
die() { printf '[compose-test] error: %s\n' "$*" >&2; exit 1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

command -v node >/dev/null || die "node not found"
[ -d gateway/tests/realtime/node_modules/socket.io-client ] || die "socket.io-client missing: make realtime-deps"
for port in "$GATEWAY_PORT" "$FRONTEND_PORT"; do
  port_in_use "$port" && die "port $port is in use: set LOM_COMPOSE_GATEWAY_PORT / LOM_COMPOSE_FRONTEND_PORT"
done

# --- the engine ----------------------------------------------------------------------------
# A dockerd that answers already is not ours to stop; one this run starts is.
engine_was_up=0
docker info >/dev/null 2>&1 && engine_was_up=1
scripts/ensure-docker.sh
started_dockerd=0
[ "$engine_was_up" = 0 ] && started_dockerd=1

mkdir -p "$WORK"
COMPOSE=(docker compose -p "$PROJECT" --env-file "$ENV_FILE" -f "$ROOT/docker-compose.yml")
[ "$MODE" = prebuilt ] && COMPOSE+=(-f "$WORK/prebuilt.yml")

cleanup() {
  local status=$?
  set +e
  if [ "$status" != 0 ] && [ -f "$ENV_FILE" ]; then
    log "failed: the containers' last log lines"
    "${COMPOSE[@]}" ps -a 2>/dev/null
    "${COMPOSE[@]}" logs --no-color --tail 40 2>/dev/null | tail -n 200
  fi
  if [ -f "$ENV_FILE" ]; then
    log "docker compose down -v"
    "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1
    # Images of earlier runs that this run's build replaced (this project's only).
    docker image prune -f --filter "label=com.docker.compose.project=$PROJECT" >/dev/null 2>&1
  fi
  if [ "$started_dockerd" = 1 ] && [ "${LOM_KEEP_DOCKERD:-0}" != 1 ]; then
    scripts/ensure-docker.sh stop
  fi
  log "$( [ "$status" = 0 ] && echo passed || echo FAILED ) in $((SECONDS - STARTED_AT)) s"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- base images and settings --------------------------------------------------------------
scripts/make-base-images.sh "$WORK/base-images.env"
secret() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }
ADMIN_PASSWORD=$(secret)
(
  umask 077
  {
    echo "# Written by scripts/test-compose.sh for one run (git-ignored)."
    echo "POSTGRES_PASSWORD=$(secret)"
    echo "USERS_DB_PASSWORD=$(secret)"
    echo "ORDERS_DB_PASSWORD=$(secret)"
    echo "LOM_ADMIN_EMAIL=admin@example.com"
    echo "LOM_ADMIN_PASSWORD=$ADMIN_PASSWORD"
    echo "PUBLISH_ADDRESS=127.0.0.1"
    echo "GATEWAY_PORT=$GATEWAY_PORT"
    echo "FRONTEND_PORT=$FRONTEND_PORT"
    echo "PUBLIC_API_URL=http://localhost:$GATEWAY_PORT"
    echo "PUBLIC_DASHBOARD_URL=http://localhost:$FRONTEND_PORT"
    echo "LOM_API_URL=http://localhost:$GATEWAY_PORT"
    echo "COOKIE_SECURE=false"
    echo "CARGO_JOBS=${CARGO_JOBS:-1}"
    grep -v '^#' "$WORK/base-images.env"
  } > "$ENV_FILE"
)
# A stack of an earlier run that did not get to its `down`.
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true

# --- the prebuilt form: the host's binaries and dashboard build ----------------------------
if [ "$MODE" = prebuilt ]; then
  TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
  log "cargo build (debug) of the three services"
  cargo build --locked -p users-service -p orders-service -p gateway 2>&1 | tail -n 2
  if [ ! -f frontend/.next/standalone/server.js ]; then
    log "next build (the dashboard's standalone output)"
    (cd frontend && npm run build >/dev/null)
  fi
  rm -rf "$WORK/rust" "$WORK/frontend"
  mkdir -p "$WORK/rust/bin" "$WORK/frontend"
  for bin in users-service orders-service gateway; do
    # Debug info off: the image needs the code, not 100s of MB of symbols.
    objcopy --strip-debug "$TARGET_DIR/debug/$bin" "$WORK/rust/bin/$bin"
  done
  cp -a frontend/.next/standalone "$WORK/frontend/standalone"
  rm -rf "$WORK/frontend/standalone/.env"*
  mkdir -p "$WORK/frontend/standalone/.next"
  cp -a frontend/.next/static "$WORK/frontend/standalone/.next/static"
  [ -d frontend/public ] && cp -a frontend/public "$WORK/frontend/standalone/public"
  {
    echo "# Written by scripts/test-compose.sh --prebuilt: only the build contexts and targets change."
    echo "services:"
    for svc in users-service orders-service gateway; do
      printf '  %s:\n    build:\n      context: %s\n      dockerfile: %s\n      target: prebuilt\n' \
        "$svc" "$WORK/rust" "$ROOT/docker/rust-service.Dockerfile"
    done
    printf '  frontend:\n    build:\n      context: %s\n      dockerfile: %s\n      target: prebuilt\n' \
      "$WORK/frontend" "$ROOT/frontend/Dockerfile"
  } > "$WORK/prebuilt.yml"
fi

# --- build and start -----------------------------------------------------------------------
build_started=$SECONDS
if [ "$MODE" = full ]; then
  # The shared Rust build first, alone: the other two images then take it from the cache
  # instead of compiling it beside it.
  log "docker compose build users-service (the Rust build shared by the three images)"
  "${COMPOSE[@]}" build users-service
fi
log "docker compose up --build --wait"
"${COMPOSE[@]}" up --build --wait --wait-timeout 300 --quiet-pull
up_seconds=$((SECONDS - build_started))
log "built and healthy in ${up_seconds} s"

# --- checks through the published ports ----------------------------------------------------
GATEWAY_URL=http://127.0.0.1:$GATEWAY_PORT
compose_json=$(printf '%s\n' "${COMPOSE[@]}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(s.trimEnd().split("\n"))))')
GATEWAY_URL=$GATEWAY_URL DASHBOARD_ORIGIN=http://localhost:$FRONTEND_PORT \
  LOM_ADMIN_EMAIL=admin@example.com LOM_ADMIN_PASSWORD=$ADMIN_PASSWORD COMPOSE_CMD=$compose_json \
  node scripts/compose-check.mjs

failures=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
dashboard_serves() {
  local body
  body=$(curl -fsS --noproxy '*' --max-time 10 "http://127.0.0.1:$FRONTEND_PORT/sign-in") &&
    grep -q 'Live Order Monitor' <<< "$body" &&
    [ "$(curl -fsS --noproxy '*' --max-time 10 "http://127.0.0.1:$FRONTEND_PORT/runtime-config.js")" = "self.__LOM_API_URL__=\"http://localhost:$GATEWAY_PORT\";" ]
}
only_published() { # the services and databases are on the internal network only
  local published
  published=$(for id in $("${COMPOSE[@]}" ps -q); do
    docker inspect --format '{{index .Config.Labels "com.docker.compose.service"}} {{range $p, $c := .NetworkSettings.Ports}}{{if $c}}{{$p}} {{end}}{{end}}' "$id"
  done | awk 'NF > 1 {print $1}' | sort | tr '\n' ' ')
  [ "$published" = "frontend gateway " ] || { echo "     published: $published"; return 1; }
}
runs_as_read_only() { # service, expected user of its main process (pid 1)
  local user
  user=$("${COMPOSE[@]}" exec -T "$1" sh -c 'id -un "$(awk "/^Uid:/ {print \$2}" /proc/1/status)"' 2>/dev/null | tr -d '\r')
  [ "$user" = "$2" ] || { echo "     $1 runs as '$user'"; return 1; }
  if "${COMPOSE[@]}" exec -T "$1" sh -c 'touch /probe-write' >/dev/null 2>&1; then
    echo "     $1 could write to its root filesystem"; return 1
  fi
}
check "the dashboard serves its sign-in page and LOM_API_URL on its published port" dashboard_serves
check "only the gateway and the dashboard publish ports" only_published
check "users-service runs as lom on a read-only root filesystem" runs_as_read_only users-service lom
check "orders-service runs as lom on a read-only root filesystem" runs_as_read_only orders-service lom
check "gateway runs as lom on a read-only root filesystem" runs_as_read_only gateway lom
check "the dashboard runs as node on a read-only root filesystem" runs_as_read_only frontend node
check "redis runs as redis on a read-only root filesystem" runs_as_read_only redis redis
check "postgres runs as postgres on a read-only root filesystem" runs_as_read_only postgres postgres

# --- sizes and time ------------------------------------------------------------------------
log "images ($MODE build; up --build --wait took ${up_seconds} s):"
for svc in users-service orders-service gateway frontend; do
  image="${PROJECT}-${svc}"
  printf '[compose-test]   %-16s %s\n' "$svc" "$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1 / 1e6}')"
done
for var in POSTGRES_IMAGE REDIS_IMAGE; do
  image=$(grep "^$var=" "$ENV_FILE" | cut -d= -f2)
  printf '[compose-test]   %-16s %s (%s)\n' "${var%_IMAGE}" "$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1 / 1e6}')" "$image"
done
echo "compose-extra: $((8 - failures)) passed, $failures failed"
[ "$failures" = 0 ]
