# syntax=docker/dockerfile:1
# Multi-stage: install with dev tools once, then copy a production-only install into a slim,
# non-root runtime. TypeScript runs through tsx (a runtime dependency), so there is no build
# output to copy; the Prisma client is generated offline during install.

FROM node:20.20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm CI=true
RUN npm install -g pnpm@10.34.8
WORKDIR /app

FROM base AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY apps/server/package.json apps/server/
COPY packages/api/package.json packages/api/
COPY packages/db/package.json packages/db/
COPY packages/sdk/package.json packages/sdk/
RUN pnpm fetch

FROM deps AS prod
COPY . .
# The full install's root postinstall generates the Prisma client (it needs the `prisma` dev
# dependency); the second install then prunes to production dependencies without scripts.
RUN pnpm install --offline --frozen-lockfile \
 && pnpm install --offline --frozen-lockfile --prod --ignore-scripts

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=prod --chown=node:node /app /app
USER node
# tsx is a dependency of the server package, so it resolves from here.
WORKDIR /app/apps/server
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/main.ts"]
