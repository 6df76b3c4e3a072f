import { describe, expect, it } from 'vitest';
import { announceListening, banner } from '../../src/banner.ts';
import { createLogger, type LogFormat } from '../../src/logger.ts';

function announce(format: LogFormat) {
  const log: string[] = [];
  const screen: string[] = [];
  const logger = createLogger('info', {
    format: 'json',
    destination: { write: (c) => log.push(c) },
  });
  announceListening(
    logger,
    format,
    { port: 8123, database: 'embedded', simulated: true },
    {
      write: (text) => screen.push(text),
    },
  );
  return { record: JSON.parse(log.join('')), screen: screen.join('') };
}

describe('announceListening', () => {
  it('logs one line with the URLs, and on a terminal also shows the banner', () => {
    const json = announce('json');
    expect(json.record).toMatchObject({
      msg: 'riftwatch listening',
      port: 8123,
      database: 'embedded',
      urls: {
        dashboard: 'http://localhost:8123/',
        graphql: 'http://localhost:8123/graphql',
        health: 'http://localhost:8123/health',
      },
    });
    expect(json.screen).toBe('');
    expect(announce('pretty').screen).toBe(
      banner({ port: 8123, database: 'embedded', simulated: true }),
    );
  });
});

describe('banner', () => {
  it('shows where to look and what riftwatch runs on', () => {
    const text = banner({ port: 8000, database: 'embedded', simulated: true });
    expect(text.split('\n').length).toBeGreaterThan(5);
    for (const url of ['/graphql', '/health', '/']) {
      expect(text).toContain(`http://localhost:8000${url}`);
    }
    expect(text).toContain('built-in Riot API simulator');
    expect(text).toContain('embedded PostgreSQL');
    const real = banner({ port: 9000, database: 'DATABASE_URL', simulated: false });
    expect(real).not.toContain('simulator');
    expect(real).toContain('PostgreSQL at DATABASE_URL');
  });
});
