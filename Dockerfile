FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production PORT=8000
EXPOSE 8000
USER node
CMD ["node", "--import", "tsx", "src/main.ts"]
