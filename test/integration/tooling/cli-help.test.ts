import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { jsonOf, runCli } from './cli.ts';

const SUBCOMMANDS: Array<[string[], string[]]> = [
  [['jobs'], ['list', 'trigger', 'configure', 'cancel', 'stats']],
  [['jobs', 'list'], []],
  [
    ['jobs', 'trigger'],
    ['<job>', '--wait'],
  ],
  [
    ['jobs', 'configure'],
    ['<job>', '--active', '--inactive', '--schedule', '--set', '--replace'],
  ],
  [['jobs', 'cancel'], ['<execution-id>']],
  [['jobs', 'stats'], ['--since']],
  [['executions'], ['list', 'show']],
  [
    ['executions', 'list'],
    ['--job', '--status', '--since', '--limit'],
  ],
  [['executions', 'show'], ['<id>']],
  [['players'], ['track', 'untrack', 'list']],
  [
    ['players', 'track'],
    ['<player>', '--platform', 'Faker#KR1'],
  ],
  [['players', 'untrack'], ['<puuid>']],
  [
    ['players', 'list'],
    [
      '--tracked',
      '--no-tracked',
      '--flagged',
      '--no-flagged',
      '--analyzed',
      '--no-analyzed',
      '--platform',
      '--search',
      '--limit',
      '--after',
    ],
  ],
  [['status'], []],
  [['watch'], ['Ctrl-C', '--json']],
];

describe('help', () => {
  test('riftwatch --help lists the commands, the global options, the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const text of [
      'jobs',
      'executions',
      'players',
      'status',
      'watch',
      '--url',
      'RIFTWATCH_URL',
      '--token',
      'ADMIN_TOKEN',
      '--json',
      'Exit codes',
      '3 not found',
      '4 no or wrong admin token',
    ]) {
      expect(r.stdout).toContain(text);
    }
  });

  test.each(SUBCOMMANDS)('riftwatch %s --help lists its options', async (words, expected) => {
    const r = await runCli([...words, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: riftwatch ${words.join(' ')}`);
    for (const text of expected) expect(r.stdout).toContain(text);
  });

  test.each([[['help']], [['help', 'jobs']]])(
    'riftwatch %j prints help and exits 0',
    async (args) => {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: riftwatch/);
    },
  );

  test('--version is the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect((await runCli(['--version'])).stdout.trim()).toBe(version);
  });

  test.each([
    ['npx', ['riftwatch', '--help']],
    ['npm', ['run', '--silent', 'cli', '--', 'jobs', 'trigger', '--help']],
  ])(
    '%s from the repository runs it',
    async (program, args) => {
      const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(out).toMatch(/Usage: riftwatch/);
    },
    60_000,
  );
});

describe('usage errors exit 2 before anything is sent', () => {
  test.each([
    [[]],
    [['jobs']],
    [['nothing']],
    [['jobs', 'trigger']],
    [['jobs', 'list', '--bogus']],
    [['executions', 'list', '--limit', '0']],
    [['executions', 'list', '--limit', 'many']],
    [['--url', 'not a url', 'jobs', 'list']],
    [['--url', 'ftp://x', 'status']],
    [['--timeout', '0', 'status']],
    [['jobs', 'configure', '1', '--set', 'steps=1', '--set', 'steps=2']],
    [['executions', 'list', '--since', '2026-11-30 10:00 AM']],
    [['jobs', 'stats', '--since', '2026-01-01junk']],
  ])('riftwatch %j', async (args) => {
    const r = await runCli(args, { RIFTWATCH_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
    const json = await runCli(['--json', ...args], { RIFTWATCH_URL: 'http://127.0.0.1:9' });
    expect(json.code).toBe(2);
    expect(jsonOf(json)).toEqual({ error: { code: 'USAGE', message: expect.any(String) } });
  });

  test('--json after the option that is wrong still gets the error as JSON', async () => {
    const r = await runCli(['--timeout', '0', '--json', 'status']);
    expect(r.code).toBe(2);
    expect(jsonOf(r)).toEqual({ error: { code: 'USAGE', message: expect.any(String) } });
  });

  test('a bad RIFTWATCH_TIMEOUT is refused by name when a command runs; help still shows', async () => {
    const env = { RIFTWATCH_TIMEOUT: 'abc', RIFTWATCH_URL: 'http://127.0.0.1:9' };
    const help = await runCli(['--help'], env);
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: riftwatch/);
    const r = await runCli(['--json', 'status'], env);
    expect(r.code).toBe(2);
    expect(jsonOf(r).error).toEqual({
      code: 'USAGE',
      message: 'RIFTWATCH_TIMEOUT must be a whole number of seconds from 1 to 3600, not abc',
    });
    // --timeout given wins over the variable.
    const given = await runCli(['--json', '--timeout', '5', 'status'], env);
    expect(jsonOf(given).error.code).toBe('UNAVAILABLE');
  });

  test('a user and password in --url are refused, not echoed: the token is --token', async () => {
    for (const url of ['http://admin:pw-123@127.0.0.1:9', 'http://admin:pw-123@127.0.0.1:port']) {
      const r = await runCli(['--url', url, 'jobs', 'list']);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('pw-123');
    }
    const r = await runCli(['jobs', 'list'], { RIFTWATCH_URL: 'http://admin:pw-123@127.0.0.1:9' });
    expect(r.stderr).toBe(
      'error (USAGE): RIFTWATCH_URL may not contain a user or password (http://127.0.0.1:9/): give the admin token with --token or ADMIN_TOKEN\n',
    );
  });

  test('a bad URL is refused by the name it was given under: --url or RIFTWATCH_URL', async () => {
    const fromEnv = await runCli(['jobs', 'list'], { RIFTWATCH_URL: 'not a url' });
    expect({ code: fromEnv.code, stderr: fromEnv.stderr }).toEqual({
      code: 2,
      stderr:
        'error (USAGE): Invalid RIFTWATCH_URL "not a url": expected e.g. http://localhost:8000\n',
    });
    const watch = await runCli(['watch'], { RIFTWATCH_URL: 'ftp://x' });
    expect(watch.stderr).toBe(
      'error (USAGE): Invalid RIFTWATCH_URL "ftp://x": expected http:// or https://\n',
    );
    const given = await runCli(['jobs', 'list', '--url', 'not a url'], {
      RIFTWATCH_URL: 'ftp://x',
    });
    expect(given.stderr).toMatch(/^error \(USAGE\): Invalid --url "not a url"/);
  });
});

test('an unreachable server: exit 1, said plainly (and as JSON with --json)', async () => {
  const human = await runCli(['jobs', 'list', '--url', 'http://127.0.0.1:9']);
  expect(human.code).toBe(1);
  expect(human.stderr).toMatch(/Cannot reach riftwatch at http:\/\/127\.0\.0\.1:9\/graphql/);
  const json = await runCli(['--json', 'status'], { RIFTWATCH_URL: 'http://127.0.0.1:9' });
  expect(json.code).toBe(1);
  expect(jsonOf(json).error.code).toBe('UNAVAILABLE');
});
