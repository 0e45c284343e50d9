# One image for every process of the app: docker-compose.yml runs it as `api`,
# `worker` and the one-shot `migrate`, choosing the process by its command.
#
# Two stages. `build` installs every dependency, compiles src/ (and the scripts a
# running installation needs) to JavaScript in dist/ (scripts/build.mjs, swc) and
# builds the workflow bundle. The image itself (`runtime`) has production dependencies
# only, dist/ and config/: plain node runs compiled JavaScript, with no TypeScript
# compiler or loader (tsx is a development dependency).
#
# No install script runs in either stage (--ignore-scripts): nothing phones home at
# build time (@scarf/scarf, pulled in by swagger-ui-express, would), and nothing needs
# one: the native parts (Temporal's core bridge, libsql, swc) come prebuilt in their
# packages or in per-platform optional packages.
#
# The engines field asks for Node >= 20.19; the image uses the current LTS line.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Dependencies first, in their own layer, so editing src/ does not reinstall them.
# Development dependencies included: @swc/core compiles, webpack (in @temporalio/worker) bundles.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY scripts ./scripts
COPY src ./src
# dist/src, dist/scripts (migrate.js, build-workflow-bundle.js), then the workflow bundle
# the worker loads (WORKFLOW_BUNDLE_PATH) instead of bundling on every start. The Temporal
# bundler compiles the workflows from src/workflows itself, as in `npm start` and the tests.
RUN node scripts/build.mjs \
    && node dist/scripts/build-workflow-bundle.js /app/dist/workflow-bundle.js

# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# The slim image has no CA bundle. Node carries its own, but the Temporal worker's
# native gRPC client (Rust core) uses the system one when TEMPORAL_TLS is on
# (Temporal Cloud, mTLS), so install it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production
WORKDIR /app

# `npm ci` installs exactly package-lock.json; --omit=dev leaves out jest, typescript,
# tsx and friends. package.json also tells the code where the project root is
# (src/projectFiles.ts: config/ is found next to it).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force

COPY config ./config
COPY --from=build /app/dist ./dist
# Every worker started from this image loads the prebuilt bundle (there is no src/ to bundle from).
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js

# DATA_DIR is where the code would keep local files (only the libsql default
# database uses it; production uses PostgreSQL). Point it at a directory the
# unprivileged user owns so nothing fails trying to create ./.data under /app.
RUN mkdir -p /var/lib/ordering && chown node:node /var/lib/ordering
ENV DATA_DIR=/var/lib/ordering

# Run as the image's unprivileged `node` user, not root.
USER node

EXPOSE 3000

# Default process is the API; docker-compose.yml overrides the command for the
# worker and for migrations (node dist/src/worker/main.js, node dist/scripts/migrate.js),
# and the ops CLI is `node dist/src/ops/cli.js`. No HEALTHCHECK here on purpose: the same
# image runs the worker, which serves no HTTP; the compose file checks the API's /readyz
# on its ops listener (OPS_PORT, 3001).
CMD ["node", "dist/src/api/server.js"]
