# syntax=docker/dockerfile:1
# Multi-stage: install with dev tools and build once, then copy a production-only install and
# the build into a slim, non-root runtime that runs plain JavaScript (no TypeScript tooling).

FROM node:20.20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm CI=true
RUN npm install -g pnpm@10.34.8
WORKDIR /app

# `pnpm fetch` needs only the lockfile (and the patches it names): this layer stays cached
# until dependencies change.
FROM base AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY patches ./patches
RUN pnpm fetch

FROM deps AS build
COPY . .
# The full install's root postinstall runs the codegen (the Prisma client from the composed
# schema, needing the `prisma` dev dependency; the module map from modules/*/manifest.json) and
# the server's build: apps/server/dist/{main,db,seed,grant-admin,index}.js, bundled by esbuild (a dev
# dependency). The second install prunes to production dependencies without scripts, which
# keeps the build and the generated client. The embedded database's kept clusters
# (node_modules/.cache) serve development starts and tests, not an image: dropped.
# modules/ and prisma/ stay: the server checks the manifests against the map at start, and
# `node dist/db.js migrate` reads the migrations.
RUN pnpm install --offline --frozen-lockfile \
 && test -f apps/server/dist/main.js \
 && pnpm install --offline --frozen-lockfile --prod --ignore-scripts \
 && rm -rf node_modules/.cache

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
WORKDIR /app/apps/server
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations: `node dist/db.js migrate` (production never migrates by itself; see README).
CMD ["node", "dist/main.js"]
