import type { LogFormat, Logger } from './logger.ts';

export type Listening = {
  port: number;
  /** Where the data lives: `DATABASE_URL` or `embedded`. */
  database: string;
  /** True on the built-in Riot API simulator. */
  simulated: boolean;
};

export function urlsFor(port: number) {
  const base = `http://localhost:${port}`;
  return { dashboard: `${base}/`, graphql: `${base}/graphql`, health: `${base}/health` };
}

/**
 * Says where to look once riftwatch listens: one log line carrying the URLs (what a container's
 * log shows), and on a terminal a banner a person notices among the log lines.
 */
export function announceListening(
  logger: Logger,
  format: LogFormat,
  listening: Listening,
  out: { write(text: string): unknown } = process.stdout,
): void {
  const urls = urlsFor(listening.port);
  logger.info({ port: listening.port, database: listening.database, urls }, 'riftwatch listening');
  if (format === 'pretty') out.write(banner(listening));
}

export function banner({ port, database, simulated }: Listening): string {
  const urls = urlsFor(port);
  const riot = simulated
    ? 'the built-in Riot API simulator (set RIOT_API_KEY for the real API)'
    : 'the Riot API';
  const data = database === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL';
  return [
    '',
    `  riftwatch is running on ${riot}, data in ${data}`,
    '',
    `    GraphQL (GraphiQL in a browser)   ${urls.graphql}`,
    `    Health                            ${urls.health}`,
    `    Dashboard                         ${urls.dashboard}`,
    '',
    '  Ctrl-C stops it (running jobs get 10 s to finish).',
    '',
    '',
  ].join('\n');
}
