import 'dotenv/config';
import { defineConfig } from 'prisma/config';

// The datasource URL lives here in Prisma 7. The CLI is only used for `generate` on this project
// (migrations are applied by src/db/migrate.ts); `prisma migrate deploy` works where the engine exists.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/riftwatch' },
});
