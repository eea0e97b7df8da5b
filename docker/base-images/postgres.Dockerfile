# Local stand-in for postgres:<version>-bookworm, made by scripts/make-base-images.sh when the
# official image cannot be pulled: Debian 12's PostgreSQL (15) with an entrypoint that keeps
# the official image's contract as docker-compose.yml uses it (POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB, PGDATA, scripts in /docker-entrypoint-initdb.d run once on
# an empty data directory, password authentication over the network).
ARG BASE_IMAGE=lom-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql /var/lib/postgresql/data \
 && install -d /docker-entrypoint-initdb.d
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
