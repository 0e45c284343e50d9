# One image for every process of the app: docker-compose.yml runs it as `api`,
# `worker` and the one-shot `migrate`, choosing the process by its command.
#
# There is no compile step: tsx (a production dependency in package.json) runs
# the TypeScript sources directly, exactly as `npm start` does, and the Temporal
# worker bundles the workflow code from src/workflows at start-up anyway.
FROM node:20-bookworm-slim

# The slim image has no CA bundle. Node carries its own, but the Temporal worker's
# native gRPC client (Rust core) uses the system one when TEMPORAL_TLS is on
# (Temporal Cloud, mTLS), so install it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, in their own layer, so editing src/ does not reinstall them.
# `npm ci` installs exactly package-lock.json; --omit=dev leaves out jest,
# typescript and friends (tsx, needed at run time, is a regular dependency).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force

COPY tsconfig.json ./
COPY config ./config
COPY scripts ./scripts
COPY src ./src
# Workers load this prebuilt bundle (WORKFLOW_BUNDLE_PATH) instead of bundling on every start.
RUN node --import tsx scripts/build-workflow-bundle.ts /app/dist/workflow-bundle.js

# DATA_DIR is where the code would keep local files (only the libsql default
# database uses it; production uses PostgreSQL). Point it at a directory the
# unprivileged user owns so nothing fails trying to create ./.data under /app.
RUN mkdir -p /var/lib/ordering && chown node:node /var/lib/ordering
ENV DATA_DIR=/var/lib/ordering

# Run as the image's unprivileged `node` user, not root.
USER node

EXPOSE 3000

# Default process is the API; docker-compose.yml overrides the command for the
# worker and for migrations. No HEALTHCHECK here on purpose: the same image runs
# the worker, which serves no HTTP; the compose file checks the API's /readyz.
CMD ["node", "--import", "tsx", "src/api/server.ts"]
