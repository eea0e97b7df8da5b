#!/usr/bin/env bash
# Makes a Docker engine, Compose v2 and buildx available, installing them from the
# distribution's packages when they are absent (root + apt only), and starting dockerd when
# none answers.
#
#   scripts/ensure-docker.sh         install what is missing, start dockerd if needed
#   scripts/ensure-docker.sh stop    stop dockerd again, but only if this script started it
#
# - Engine: Debian's `docker.io` (dockerd + containerd, started in the background with its
#   default flags; log in $LOM_DOCKERD_DIR/dockerd.log, default /run/lom-dockerd).
# - Compose v2 and buildx: Debian 12's `docker-compose` is v1 (1.29), which rejects
#   docker-compose.yml (`name:`, `env_file` with `path`/`required`, `host_ip`), and it has no
#   buildx (without which the docker CLI refuses BuildKit builds). When the distribution
#   offers neither, the packages of the next Debian release (docker-compose 2.26,
#   docker-buildx 0.13) are fetched with a private apt configuration (the system's own mirror
#   and keyring; the system's sources untouched) and installed with dpkg: they need nothing
#   but libc6 >= 2.34.
# - dockerd rewrites iptables (its chains, NAT, the FORWARD policy), adds the docker0 bridge
#   and turns on ip_forward. `stop` ends the dockerd this script started (and the containerd
#   it started) and puts those back as they were before it started: the iptables rules it
#   saved then (iptables-save), ip_forward, and no docker0 unless there was one.
set -euo pipefail

STATE_DIR=${LOM_DOCKERD_DIR:-/run/lom-dockerd}
NEXT_SUITE=${LOM_NEXT_DEBIAN_SUITE:-trixie}

log() { printf '[docker] %s\n' "$*"; }
die() { printf '[docker] error: %s\n' "$*" >&2; exit 1; }

engine_answers() { docker info >/dev/null 2>&1; }
buildx_present() { docker buildx version >/dev/null 2>&1; }
compose_v2() {
  local version
  version=$(docker compose version --short 2>/dev/null || true)
  [[ $version =~ ^v?2\. ]]
}

stop_engine() {
  [ -f "$STATE_DIR/dockerd.pid" ] || { log "dockerd was not started by this script: left running"; return 0; }
  local pid
  pid=$(cat "$STATE_DIR/dockerd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "dockerd did not stop in 30 s: killing it"; kill -KILL "$pid" || true; fi
  fi
  # What dockerd changed in the kernel's network settings.
  if [ -f "$STATE_DIR/ip_forward" ]; then
    cat "$STATE_DIR/ip_forward" > /proc/sys/net/ipv4/ip_forward || true
  fi
  if command -v iptables-restore >/dev/null && [ -f "$STATE_DIR/iptables.rules" ]; then
    iptables-restore < "$STATE_DIR/iptables.rules" 2>/dev/null || log "could not restore the iptables rules saved in $STATE_DIR/iptables.rules"
  fi
  if [ ! -f "$STATE_DIR/had_docker0" ] && ip link show docker0 >/dev/null 2>&1; then
    ip link delete docker0 2>/dev/null || true
  fi
  rm -f "$STATE_DIR/dockerd.pid" "$STATE_DIR/iptables.rules" "$STATE_DIR/had_docker0"
  log "dockerd stopped"
}

if [ "${1:-}" = stop ]; then stop_engine; exit 0; fi

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v dpkg >/dev/null; }

# The mirror the system's apt already uses (deb822 sources or a one-line sources.list).
system_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -vE 'security' | grep -E '/debian/?$' | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      grep -vE 'security' | sed -E 's/^deb (\[[^]]*\] )?//' | awk '{print $1}' | grep -E '/debian/?$' | head -n1 || true)
  fi
  [ -n "$uri" ] || die "no Debian mirror found in the apt sources"
  echo "${uri%/}"
}

install_engine() {
  can_install || die "no Docker engine: install Docker (dockerd), Compose v2 and buildx, or run as root on Debian"
  log "installing docker.io from the distribution"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    docker.io iptables ca-certificates >/dev/null
}

# Packages of the next Debian release, fetched with a private apt configuration and installed
# with dpkg.
install_from_next_release() { # package...
  local mirror tmp
  mirror=$(system_mirror)
  tmp=$(mktemp -d)
  chmod 755 "$tmp" # apt downloads as the _apt user
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $NEXT_SUITE main" > "$tmp/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache" -o "APT::Get::List-Cleanup=0"
    -o "APT::Sandbox::User=root")
  log "fetching $* from Debian $NEXT_SUITE"
  apt-get "${apt_opts[@]}" update -qq
  (cd "$tmp" && apt-get "${apt_opts[@]}" download "$@" >/dev/null)
  dpkg -i "$tmp"/*.deb >/dev/null
  rm -rf "$tmp"
}

install_compose_and_buildx() {
  local want=()
  compose_v2 || want+=(docker-compose)
  buildx_present || want+=(docker-buildx)
  [ "${#want[@]}" -gt 0 ] || return 0
  can_install || die "missing: ${want[*]} (install the docker compose v2 and buildx plugins)"
  local compose_candidate buildx_candidate
  compose_candidate=$(apt-cache policy docker-compose 2>/dev/null | awk '/Candidate:/ {print $2}')
  buildx_candidate=$(apt-cache policy docker-buildx 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [[ $compose_candidate =~ ^2\. ]] && [[ -n $buildx_candidate && $buildx_candidate != '(none)' ]]; then
    log "installing ${want[*]} from the distribution"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null
  else
    install_from_next_release "${want[@]}"
  fi
}

start_engine() {
  mkdir -p "$STATE_DIR"
  rm -f "$STATE_DIR/dockerd.docker.pid" # left by a dockerd that was killed
  cat /proc/sys/net/ipv4/ip_forward > "$STATE_DIR/ip_forward" 2>/dev/null || true
  rm -f "$STATE_DIR/iptables.rules" "$STATE_DIR/had_docker0"
  if command -v iptables-save >/dev/null; then
    # The rules as they are before dockerd adds its own; an empty table set is saved as the
    # empty filter and nat tables, so that `stop` removes dockerd's chains.
    { iptables-save 2>/dev/null | grep -q . && iptables-save; } > "$STATE_DIR/iptables.rules" ||
      printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n' > "$STATE_DIR/iptables.rules"
  fi
  ip link show docker0 >/dev/null 2>&1 && touch "$STATE_DIR/had_docker0"
  log "starting dockerd (log: $STATE_DIR/dockerd.log)"
  setsid dockerd --pidfile "$STATE_DIR/dockerd.docker.pid" > "$STATE_DIR/dockerd.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/dockerd.pid"
  for _ in $(seq 120); do
    engine_answers && { log "dockerd is up"; return 0; }
    kill -0 "$(cat "$STATE_DIR/dockerd.pid")" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 20 "$STATE_DIR/dockerd.log" >&2 || true
  rm -f "$STATE_DIR/dockerd.pid"
  die "dockerd did not come up"
}

if ! engine_answers; then
  command -v dockerd >/dev/null || install_engine
  start_engine
else
  log "a Docker engine answers: using it"
fi
install_compose_and_buildx
compose_v2 || die "docker compose is not v2: $(docker compose version 2>&1 | head -n1)"
buildx_present || die "docker buildx is missing"
log "$(docker version --format 'engine {{.Server.Version}}' 2>/dev/null), compose $(docker compose version --short), $(docker buildx version | awk '{print "buildx " $2}')"
