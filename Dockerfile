# Nimbus in a container, on Debian's Node 24: `docker build -t nimbus-local .`, then
# `docker run --rm -p 127.0.0.1:4566:4566 nimbus-local`. See "In a container" in README.md.

# Build: dist/ from the sources, packed as the npm package is (the same files `npm publish` ships).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# TypeScript only; no install scripts (the `node` devDependency pins Node for development, the image has its own).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json NOTICE README.md ./
COPY scripts ./scripts
COPY src ./src
COPY console-ui ./console-ui
RUN node scripts/build.ts && npm pack --ignore-scripts --pack-destination /tmp && mv /tmp/nimbus-local-*.tgz /tmp/nimbus-local.tgz

# Run: the package installed globally (no runtime dependencies), Python 3 for Python functions and
# init scripts, tini as PID 1 to reap what functions and scripts leave behind.
FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 tini && rm -rf /var/lib/apt/lists/*
COPY --from=build /tmp/nimbus-local.tgz /tmp/nimbus-local.tgz
RUN npm install --global --no-audit --no-fund /tmp/nimbus-local.tgz && rm /tmp/nimbus-local.tgz && mkdir -p /etc/nimbus/init.d
# Scripts mounted here run once Nimbus is up; health answers 503 until they are done.
ENV NIMBUS_INIT_DIR=/etc/nimbus/init.d
USER node
WORKDIR /home/node
EXPOSE 4566
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4566/_nimbus/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "nimbus"]
# 0.0.0.0 is every interface of the container only: publish the port to 127.0.0.1 on the host.
# Other containers calling Nimbus by a name need it in NIMBUS_ALLOWED_HOSTS (DNS-rebinding guard).
CMD ["start", "--host", "0.0.0.0", "--port", "4566"]
