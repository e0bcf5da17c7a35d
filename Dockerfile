# syntax=docker/dockerfile:1
# db-migration-api: build with `docker build -t db-migration-api .`, run with
# `docker run -p 8000:8000 db-migration-api` (embedded SQLite in /app/data) or
# with -e DATABASE_URL=postgres://… (see docker-compose.yml).
#
# The runtime stage's COPY lines are read by `npm run rehearse:image`, which
# assembles the same files outside Docker and starts the server from them:
# keep every file the image needs in a COPY of that stage.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Toolchain for better-sqlite3, compiled from source when no prebuilt binary fits.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV SCARF_ANALYTICS=false \
    npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false

# Compiles TypeScript to dist/ (the API, the compiled migrations and the TypeORM CLI's data source) and builds the admin UI into dist/admin.
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
COPY migrations ./migrations
# The admin UI (dist/admin): its client is generated from the OpenAPI document, which
# the app writes from the sources (settings from config/), with the SDK's generator.
COPY config ./config
COPY admin-ui ./admin-ui
COPY test/sdk/generate-client.mjs ./test/sdk/generate-client.mjs
RUN npm run build

# Production dependencies only, native modules built for this image's Node.
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    MIGRATIONS_RUN=true
WORKDIR /app
# The application's files belong to root and are read-only for the service's user.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/migrations ./dist/migrations
COPY --from=build /app/dist/ormconfig.js ./dist/ormconfig.js
COPY --from=build /app/dist/admin ./dist/admin
COPY config ./config
COPY data ./data
# Only data/ is writable: the default SQLite database lives there (mount a volume on /app/data to keep it).
RUN chown node:node /app/data
USER node
EXPOSE 8000
# The slim image has no curl or wget: Node's own fetch asks the liveness route.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node itself is PID 1 (no npm in between), so SIGTERM reaches the service's graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "--max-old-space-size=256", "dist/src/main.js"]
