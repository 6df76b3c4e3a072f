import { pino } from 'pino';

export type Logger = pino.Logger;

/** Root logger: pino JSON on stdout. Components take child loggers (`logger.child({ component })`). */
export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { service: 'riftwatch' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The Riot key must never reach a log line, whatever object a caller passes in.
    redact: {
      paths: ['apiKey', '*.apiKey', 'headers["x-riot-token"]', '*.headers["x-riot-token"]'],
      censor: '[redacted]',
    },
  });
}

/** A logger that writes nothing, for tests and tools that do not want output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
