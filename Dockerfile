# syntax=docker/dockerfile:1
# One image for every Redial process: `node` runs the TypeScript sources directly (type stripping),
# as a non-root user, over the workspace installed with production dependencies only.
#
# Why not `pnpm deploy --prod`: it copies the workspace packages (@redial/*) into node_modules,
# where Node refuses to strip types (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING). The equal used
# here: `pnpm install --prod` of the workspace, which links @redial/* to apps/ and packages/ and
# leaves every devDependency out. apps/cli/test/container-image.test.ts builds the same folder and
# starts the api, the worker and the migrations from it as a non-root user.
#
#   docker build -t redial .
#   docker run --rm -e DATABASE_URL=… -e API_KEYS=… -e BLAND_WEBHOOK_SECRET=… -p 3000:3000 redial
#   (worker: node apps/worker/src/main.ts · simulator: node apps/simulator/src/main.ts ·
#    migrations: node apps/cli/src/main.ts migrate)

FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
RUN npm install -g pnpm@12.4.2
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/cli/package.json apps/cli/
COPY apps/simulator/package.json apps/simulator/
COPY apps/worker/package.json apps/worker/
COPY packages/bland/package.json packages/bland/
COPY packages/config/package.json packages/config/
COPY packages/convoso/package.json packages/convoso/
COPY packages/db/package.json packages/db/
COPY packages/domain/package.json packages/domain/
COPY packages/fixtures/package.json packages/fixtures/
COPY packages/geo/package.json packages/geo/
COPY packages/jobs/package.json packages/jobs/
COPY packages/metrics/package.json packages/metrics/
COPY packages/notify/package.json packages/notify/
COPY packages/reports/package.json packages/reports/
COPY packages/retry-after/package.json packages/retry-after/
COPY packages/services/package.json packages/services/
COPY packages/testing/package.json packages/testing/
RUN pnpm install --frozen-lockfile --prod

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, read-only for the `node` user the processes run as (they write nothing to disk).
COPY --from=prod-deps /app /app
COPY apps ./apps
COPY packages ./packages
COPY migrations ./migrations
USER node
EXPOSE 3000 3001 4010
# The command is chosen per service in docker-compose.yml; the api by default.
CMD ["node", "apps/api/src/main.ts"]
