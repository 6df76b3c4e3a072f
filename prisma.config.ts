import { existsSync } from 'node:fs';
import { defineConfig } from 'prisma/config';

if (existsSync('.env')) process.loadEnvFile('.env');

// Prisma 7 keeps the datasource URL here. This project only runs the CLI for `generate` (migrations
// are applied by src/db/migrate.ts); `prisma migrate deploy` also works where its engine is installed.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://127.0.0.1:5432/riftwatch' },
});
