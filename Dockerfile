# wavewatch service image: node:20-slim, reproducible install, compiled TypeScript.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scenarios/files ./scenarios/files
# embedded PGlite (no DATABASE_URL) keeps alerts, events and signal history in this volume
RUN mkdir -p /data/pglite && chown -R node:node /data
ENV WAVEWATCH_DATA_DIR=/data/pglite
VOLUME /data
# the rollout page's browser script and styles, served from source (tsc does not copy them)
COPY --from=build /app/src/web/assets ./src/web/assets
USER node
EXPOSE 8080
# HOST defaults to 0.0.0.0, so protected mode refuses to start without a token: set
# WAVEWATCH_API_TOKENS, or auth.tokens in the WAVEWATCH_CONFIG file (tokenFile for a mounted
# secret), or WAVEWATCH_AUTH=none on purpose. /healthz and /readyz stay open for probes.
# readiness (database, Redis) via the tiny healthcheck binary; the shell expands PORT
HEALTHCHECK --interval=15s --timeout=6s --start-period=30s --retries=3 \
  CMD node dist/src/bin/healthcheck.js "http://127.0.0.1:${PORT}/readyz"
# npm start = node dist/src/main.js; exec form so SIGTERM reaches node for a graceful stop
CMD ["node", "dist/src/main.js"]
