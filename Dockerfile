# syntax=docker/dockerfile:1
# Multi-stage: install with dev tools once, then copy a production-only install into a slim,
# non-root runtime. TypeScript runs through tsx (a runtime dependency), so there is no build
# output to copy; the Prisma client is generated offline during install.

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

FROM deps AS prod
COPY . .
# The full install's root postinstall runs the codegen: the Prisma client from the composed
# schema (core plus modules/*/prisma, needing the `prisma` dev dependency) and the module map
# from modules/*/manifest.json. The second install then prunes to production dependencies
# without scripts. modules/ stays in the image: the server checks it against the map at start.
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
