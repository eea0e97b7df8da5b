# Local stand-in for node:<version>-bookworm-slim, made by scripts/make-base-images.sh when
# the official image cannot be pulled: the Node.js binary and npm of the machine that builds
# it (copied in as ./node; Debian 12's nodejs is too old), and the image's `node` user (uid
# 1000) as in the official one.
ARG BASE_IMAGE=lom-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node/bin/node /usr/local/bin/node
COPY node/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
# Node does not read the system's certificate store by itself.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
