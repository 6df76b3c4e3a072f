import { pino } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type Logger = pino.Logger;

/** `auto`: readable lines on a terminal, JSON everywhere else (containers, files, pipes). */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = 'json' | 'pretty';

export function resolveLogFormat(
  setting: (typeof LOG_FORMATS)[number],
  isTerminal: boolean = process.stdout.isTTY === true,
): LogFormat {
  if (setting !== 'auto') return setting;
  return isTerminal ? 'pretty' : 'json';
}

export type LoggerOptions = {
  /** Default: `auto` on stdout. */
  format?: LogFormat;
  /** Default: stdout. */
  destination?: { write(chunk: string): unknown };
};

/**
 * Root logger: pino JSON on stdout, or the same records as one readable line each. Components
 * take child loggers (`logger.child({ component })`).
 */
export function createLogger(level: string = 'info', options: LoggerOptions = {}): Logger {
  const format = options.format ?? resolveLogFormat('auto');
  const destination =
    format === 'pretty'
      ? prettyDestination(options.destination ?? process.stdout, !options.destination)
      : options.destination;
  const settings: pino.LoggerOptions = {
    level,
    base: { service: 'riftwatch' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The Riot key must never reach a log line, whatever object a caller passes in.
    redact: {
      paths: ['apiKey', '*.apiKey', 'headers["x-riot-token"]', '*.headers["x-riot-token"]'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(settings, destination as pino.DestinationStream) : pino(settings);
}

/**
 * pino-pretty's formatter called synchronously on each JSON line (its stream form goes through an
 * async pipeline, which can lose the last lines when the process exits right after logging).
 */
function prettyDestination(out: { write(chunk: string): unknown }, onStdout: boolean) {
  const prettify = prettyFactory({
    colorize: onStdout && process.stdout.isTTY === true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service',
  });
  return { write: (line: string) => out.write(prettify(line)) };
}

/** A logger that writes nothing, for tests and tools that do not want output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
