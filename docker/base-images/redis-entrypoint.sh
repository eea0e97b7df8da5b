#!/bin/sh
# Entrypoint of the local Redis stand-in (docker/base-images/redis.Dockerfile). The official
# image's redis-server is built with protected mode off, since the container's network is
# what guards it; Debian's is not, and would refuse the other containers. Add it to whatever
# command runs redis-server (docker-compose.yml gives its own).
set -e
if [ "${1:-}" = redis-server ]; then
  shift
  exec redis-server "$@" --protected-mode no
fi
exec "$@"
