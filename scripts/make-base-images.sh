#!/usr/bin/env bash
# Chooses the base images of the compose build and makes local stand-ins for the official
# ones that cannot be pulled (a machine that reaches no image registry).
#
#   scripts/make-base-images.sh [ENV_FILE]     (default .data/base-images.env)
#
# For each of RUST_IMAGE, NODE_IMAGE, RUNTIME_IMAGE, POSTGRES_IMAGE and REDIS_IMAGE: a value
# already set in the environment is kept; otherwise the official name (the default in
# docker-compose.yml) is used when it is present or can be pulled, and a local stand-in
# `lom-local/...` is made from Debian's packages when it cannot. The choice is written to
# ENV_FILE as NAME=value lines for `docker compose` (scripts/test-compose.sh reads it).
#
# Stand-ins (Debian 12, made once and reused):
#   lom-local/debian:bookworm   debootstrap --variant=minbase + ca-certificates, trusting the
#                               machine's own extra CA certificates (/usr/local/share/ca-certificates),
#                               which HTTPS to the package registries may need from inside a build
#   lom-local/rust:bookworm     + gcc, make and the machine's Rust toolchain (copied)
#   lom-local/node:bookworm     + the machine's Node.js and npm (copied), user node (1000)
#   lom-local/postgres:15-bookworm, lom-local/redis:7-bookworm   Debian's servers
# Needs root, debootstrap (installed from the distribution when missing) and a running engine
# (scripts/ensure-docker.sh). LOM_REBUILD_BASE_IMAGES=1 makes the stand-ins again.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$PWD
ENV_FILE=${1:-$ROOT/.data/base-images.env}

# The official names: keep in step with the defaults in docker-compose.yml.
declare -A OFFICIAL=(
  [RUST_IMAGE]=rust:1.95-slim-bookworm
  [NODE_IMAGE]=node:20-bookworm-slim
  [RUNTIME_IMAGE]=debian:bookworm-slim
  [POSTGRES_IMAGE]=postgres:17-bookworm
  [REDIS_IMAGE]=redis:7-bookworm
)
declare -A LOCAL=(
  [RUST_IMAGE]=lom-local/rust:bookworm
  [NODE_IMAGE]=lom-local/node:bookworm
  [RUNTIME_IMAGE]=lom-local/debian:bookworm
  [POSTGRES_IMAGE]=lom-local/postgres:15-bookworm
  [REDIS_IMAGE]=lom-local/redis:7-bookworm
)
declare -A RECIPE=(
  [RUST_IMAGE]=rust [NODE_IMAGE]=node [POSTGRES_IMAGE]=postgres [REDIS_IMAGE]=redis
)
BASE=lom-local/debian:bookworm

log() { printf '[base-images] %s\n' "$*" >&2; }
die() { printf '[base-images] error: %s\n' "$*" >&2; exit 1; }

have_image() { docker image inspect "$1" >/dev/null 2>&1; }
rebuild() { [ "${LOM_REBUILD_BASE_IMAGES:-0}" = 1 ]; }

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

# Made here, not in the subshells of `choose`, so that the trap removes it.
WORK=$(mktemp -d /var/tmp/lom-base-images.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

make_debian() {
  if have_image "$BASE" && ! rebuild; then return; fi
  [ "$(id -u)" = 0 ] || die "making $BASE needs root (debootstrap)"
  command -v debootstrap >/dev/null || {
    log "installing debootstrap from the distribution"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  local rootfs=$WORK/rootfs started=$SECONDS
  log "debootstrap bookworm (minbase) from the system's mirror"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$(system_mirror)" > "$WORK/debootstrap.log" 2>&1 ||
    { tail -n 20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  # Smaller and like the official slim image: no apt lists or caches, no docs.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  tar -C "$rootfs" --numeric-owner -c . |
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' - "$BASE" >/dev/null
  rm -rf "$rootfs"
  log "made $BASE in $((SECONDS - started)) s"
}

make_standin() { # variable
  local var=$1 recipe=${RECIPE[$1]:-} name=${LOCAL[$1]} context started=$SECONDS
  if [ -z "$recipe" ]; then make_debian; return; fi
  if have_image "$name" && ! rebuild; then return; fi
  make_debian
  context=$WORK/$recipe
  mkdir -p "$context"
  cp docker/base-images/* "$context/"
  case $recipe in
    rust)
      local sysroot
      sysroot=$(rustc --print sysroot)
      log "copying the Rust toolchain at $sysroot ($(rustc --version))"
      mkdir -p "$context/rust/bin"
      cp -L "$sysroot"/bin/{cargo,rustc,rustdoc} "$context/rust/bin/"
      cp -a "$sysroot/lib" "$context/rust/lib"
      rm -rf "$context/rust/lib/rustlib/src" "$context/rust/lib/rustlib/etc"
      if [ -d "$sysroot/libexec" ]; then cp -a "$sysroot/libexec" "$context/rust/libexec"; fi
      ;;
    node)
      local node npm_dir
      node=$(command -v node) || die "node not found"
      npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
      log "copying Node.js $(node --version) and npm $(npm --version)"
      mkdir -p "$context/node/bin" "$context/node/lib/node_modules"
      cp -L "$node" "$context/node/bin/node"
      cp -a "$npm_dir" "$context/node/lib/node_modules/npm"
      ;;
  esac
  log "building $name"
  docker build --progress=plain --build-arg BASE_IMAGE="$BASE" -t "$name" \
    -f "$context/$recipe.Dockerfile" "$context" > "$WORK/$recipe.log" 2>&1 ||
    { tail -n 30 "$WORK/$recipe.log" >&2; die "building $name failed"; }
  rm -rf "$context"
  log "made $name in $((SECONDS - started)) s"
}

choose() { # variable -> prints the image to use
  local var=$1 official=${OFFICIAL[$1]}
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  if [ "${LOM_BASE_IMAGES:-auto}" != local ]; then
    if have_image "$official" || timeout 60 docker pull -q "$official" >/dev/null 2>&1; then
      echo "$official"; return
    fi
    log "$official cannot be pulled: using the local stand-in ${LOCAL[$var]}"
  fi
  make_standin "$var"
  echo "${LOCAL[$var]}"
}

docker info >/dev/null 2>&1 || die "no Docker engine answers (scripts/ensure-docker.sh starts one)"
mkdir -p "$(dirname "$ENV_FILE")"
{
  echo "# Written by scripts/make-base-images.sh: the base images of the compose build."
  for var in RUST_IMAGE NODE_IMAGE RUNTIME_IMAGE POSTGRES_IMAGE REDIS_IMAGE; do
    echo "$var=$(choose "$var")"
  done
} > "$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
grep -v '^#' "$ENV_FILE" | sed 's/^/[base-images]   /' >&2
