// `npm run db:migrate`: applies prisma/migrations (schema + seed job configurations) and exits.
import { loadConfig } from '../config.ts';
import { createLogger, type Logger, resolveLogFormat } from '../logger.ts';
import { describeStartupError } from '../startup-error.ts';
import { resolveDatabaseUrl } from './database.ts';
import { migrate } from './migrate.ts';

let logger: Logger | undefined;
try {
  // The logger's level and format come from the configuration (.env included), so it goes first.
  const config = loadConfig();
  logger = createLogger(config.logLevel, { format: resolveLogFormat(config.logFormat) });
  const database = await resolveDatabaseUrl(config, logger);
  try {
    const result = await migrate(database.url, { logger });
    logger.info(result, 'Migrations complete');
  } finally {
    await database.stop();
  }
} catch (error) {
  if (logger) logger.error({ err: error }, 'Migration failed');
  // No logger yet: a bad configuration, reported as `npm start` reports it (one line, no stack).
  else console.error(describeStartupError(error));
  process.exitCode = 1;
}
