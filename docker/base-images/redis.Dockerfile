# Local stand-in for redis:<version>-bookworm, made by scripts/make-base-images.sh when the
# official image cannot be pulled: Debian 12's redis-server (7.0), run as the `redis` user
# in /data as the official image does, with protected mode off as in the official build.
ARG BASE_IMAGE=lom-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o redis -g redis -m 0750 /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
USER redis
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
