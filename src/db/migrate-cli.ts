// `npm run db:migrate`: applies prisma/migrations (schema + seed job configurations) and exits.
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { resolveDatabaseUrl } from './database.ts';
import { migrate } from './migrate.ts';

const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
try {
  const config = loadConfig();
  const database = await resolveDatabaseUrl(config, logger);
  try {
    const result = await migrate(database.url, { logger });
    logger.info(result, 'Migrations complete');
  } finally {
    await database.stop();
  }
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else logger.error({ err: error }, 'Migration failed');
  process.exitCode = 1;
}
