import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config.ts';

const envDirs: string[] = [];
const envDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rw-env-'));
  envDirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(envDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const load = (env: Record<string, string>) => loadConfig(env, null);

function rejection(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has the runbook and documented defaults when nothing is set', () => {
    const config = load({});
    expect(config.jobs).toEqual({
      schedulerEnabled: true,
      intervalSeconds: 120,
      timeoutSeconds: 90,
      executionRetentionDays: 30,
    });
    expect(config.maxTrackedPlayers).toBe(10);
    expect(config.database).toEqual({ url: undefined, poolSize: 20, maxOverflow: 40 });
    expect(config.jobStoreUrl).toBeUndefined();
    expect(config.riot).toEqual({
      apiKey: undefined,
      baseUrl: undefined,
      defaultPlatform: 'euw1',
      budgetShare: 1,
    });
    expect(config.port).toBe(8000);
    expect(config.adminToken).toBeUndefined();
    expect(config.mutationThrottle).toEqual({ burst: 30, perMinute: 60 });
    expect(config.liveConnectionsPerAddress).toBe(100);
    expect(config.logLevel).toBe('info');
    expect(config.logFormat).toBe('auto');
    expect(config.redisUrl).toBeUndefined();
    expect(Object.isFrozen(config) && Object.isFrozen(config.jobs)).toBe(true);
  });

  it('takes every override', () => {
    const config = load({
      JOB_SCHEDULER_ENABLED: 'false',
      JOB_INTERVAL_SECONDS: '180',
      JOB_TIMEOUT_SECONDS: '30',
      MAX_TRACKED_PLAYERS: '25',
      DB_POOL_SIZE: '5',
      DB_MAX_OVERFLOW: '0',
      DATABASE_URL: 'postgresql://riot_api_user@db:5432/riot_api_db',
      JOB_STORE_URL: 'mongodb://mongo:27017/agenda',
      RIOT_API_KEY: 'RGAPI-test',
      RIOT_API_BASE_URL: 'http://127.0.0.1:4010/{routing}',
      DEFAULT_PLATFORM: 'KR',
      RIOT_BUDGET_SHARE: '0.25',
      PORT: '9000',
      ADMIN_TOKEN: 'secret',
      MUTATION_RATE_BURST: '5',
      MUTATION_RATE_PER_MINUTE: '12',
      LIVE_CONNECTIONS_PER_ADDRESS: '500',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'JSON',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JOB_EXECUTION_RETENTION_DAYS: '7',
      DATA_DIR: '/var/lib/riftwatch',
    });
    expect(config).toEqual({
      jobs: {
        schedulerEnabled: false,
        intervalSeconds: 180,
        timeoutSeconds: 30,
        executionRetentionDays: 7,
      },
      maxTrackedPlayers: 25,
      database: {
        url: 'postgresql://riot_api_user@db:5432/riot_api_db',
        poolSize: 5,
        maxOverflow: 0,
      },
      jobStoreUrl: 'mongodb://mongo:27017/agenda',
      riot: {
        apiKey: 'RGAPI-test',
        baseUrl: 'http://127.0.0.1:4010/{routing}',
        defaultPlatform: 'kr',
        budgetShare: 0.25,
      },
      port: 9000,
      adminToken: 'secret',
      mutationThrottle: { burst: 5, perMinute: 12 },
      liveConnectionsPerAddress: 500,
      logLevel: 'debug',
      logFormat: 'json',
      redisUrl: 'redis://127.0.0.1:6379',
      dataDir: '/var/lib/riftwatch',
      envFile: null,
    });
  });

  it.each([
    ['JOB_SCHEDULER_ENABLED', 'maybe', 'expected true or false'],
    ['JOB_INTERVAL_SECONDS', '0', 'whole number >= 1'],
    ['JOB_TIMEOUT_SECONDS', 'abc', 'whole number >= 1'],
    ['MAX_TRACKED_PLAYERS', '-1', 'whole number >= 0'],
    ['DB_POOL_SIZE', '2.5', 'whole number >= 1'],
    ['DB_MAX_OVERFLOW', 'lots', 'whole number >= 0'],
    ['DATABASE_URL', 'mysql://x/y', 'postgres:// or postgresql://'],
    ['JOB_STORE_URL', 'redis://x', 'postgres:// or mongodb://'],
    ['RIOT_API_BASE_URL', 'https://euw1.example.test', 'containing {routing}'],
    ['DEFAULT_PLATFORM', 'mars1', 'expected one of euw1'],
    ['PORT', '70000', 'whole number >= 0 and <= 65535'],
    ['JOB_TIMEOUT_SECONDS', '2147484', 'whole number >= 1 and <= 86400'],
    ['JOB_EXECUTION_RETENTION_DAYS', '99999999', 'whole number >= 1 and <= 36500'],
    ['DB_POOL_SIZE', '100000', 'whole number >= 1 and <= 1000'],
    ['MUTATION_RATE_BURST', '0', 'whole number >= 1'],
    ['MUTATION_RATE_PER_MINUTE', 'fast', 'whole number >= 1'],
    ['LIVE_CONNECTIONS_PER_ADDRESS', '0', 'whole number >= 1'],
    ['LOG_LEVEL', 'loud', 'expected one of fatal'],
    ['LOG_FORMAT', 'fancy', 'expected one of auto, json, pretty'],
    ['REDIS_URL', 'http://x', 'redis://'],
    ['JOB_EXECUTION_RETENTION_DAYS', '0', 'whole number >= 1'],
    ['RIOT_BUDGET_SHARE', '0', 'number > 0 and <= 1'],
    ['RIOT_BUDGET_SHARE', '0.0', 'number > 0 and <= 1'],
    ['RIOT_BUDGET_SHARE', '1.5', 'number > 0 and <= 1'],
    ['RIOT_BUDGET_SHARE', '-0.5', 'number > 0 and <= 1'],
    ['RIOT_BUDGET_SHARE', 'half', 'number > 0 and <= 1'],
    ['RIOT_BUDGET_SHARE', '50%', 'number > 0 and <= 1'],
    ['RIOT_BUDGET_SHARE', '1e-1', 'number > 0 and <= 1'],
  ])('rejects %s=%s naming the variable and the expected form', (name, value, expected) => {
    const message = rejection({ [name]: value });
    expect(message).toContain(`${name}="${value}"`);
    expect(message).toContain(expected);
  });

  it.each([
    [
      'DATABASE_URL',
      'postgresql+asyncpg://riot:S3cretPass@db/riot',
      'postgresql+asyncpg://riot:***@db/riot',
    ],
    ['DATABASE_URL', 'mysql://riot:p/ss@wd@db/riot', 'mysql://riot:***@db/riot'],
    ['JOB_STORE_URL', 'redis://agenda:S3cretPass@jobs:6379', 'redis://agenda:***@jobs:6379'],
    ['REDIS_URL', 'http://:S3cretPass@cache:6379', 'http://:***@cache:6379'],
    ['REDIS_URL', 'tcp://cache:6379?password=S3cretPass', 'tcp://cache:6379?password=***'],
  ])('rejects %s=%s without echoing its password', (name, value, shown) => {
    const message = rejection({ [name]: value });
    expect(message).toContain(`${name}="${shown}"`);
    expect(message).not.toContain('S3cretPass');
    expect(message).not.toContain('p/ss@wd');
  });

  it.each([
    [
      'DATABASE_URL',
      'postgresql://u:S3cretPass@host:notaport/db',
      'postgresql://u:***@host:notaport/db',
    ],
    ['DATABASE_URL', 'postgres://u:S3cretPass#1@db/riot', 'postgres://u:***@db/riot'],
    ['REDIS_URL', 'redis://:S3cretPass@host:abc', 'redis://:***@host:abc'],
    [
      'JOB_STORE_URL',
      'mongodb://u:S3cretPass@h1:1,h2:x/agenda',
      'mongodb://u:***@h1:1,h2:x/agenda',
    ],
  ])(
    'rejects %s=%s, which does not parse, naming it without its password',
    (name, value, shown) => {
      const message = rejection({ [name]: value });
      expect(message).toContain(`${name}="${shown}": expected a`);
      expect(message).toContain('that parses');
      expect(message).not.toContain('S3cretPass');
    },
  );

  it.each([
    ['DATABASE_URL', 'postgresql://riot:p%2Fss@[::1]:5432/riot?sslmode=require'],
    ['DATABASE_URL', 'postgresql://riot:pw@/riot'],
    ['DATABASE_URL', 'postgresql:///riot?host=/var/run/postgresql'],
    ['JOB_STORE_URL', 'mongodb://h1:1,h2:2/db'],
    ['JOB_STORE_URL', 'mongodb://u:pw@h1:27017,h2,h3:27019/agenda?replicaSet=rs0'],
    ['JOB_STORE_URL', 'mongodb+srv://u:pw@cluster0.example.net/agenda?retryWrites=true'],
    ['REDIS_URL', 'rediss://:pw@cache.example.net:6380/2'],
  ])('takes %s=%s', (name, value) => {
    expect(() => load({ [name]: value })).not.toThrow();
  });

  it.each([
    ['http://127.0.0.1:4010/{routing}/', 'http://127.0.0.1:4010/{routing}'],
    ['https://{routing}.api.riotgames.com/', 'https://{routing}.api.riotgames.com'],
    ['https://{routing}.api.riotgames.com', 'https://{routing}.api.riotgames.com'],
  ])('reads RIOT_API_BASE_URL=%s as %s: request paths start with one /', (value, template) => {
    expect(load({ RIOT_API_BASE_URL: value }).riot.baseUrl).toBe(template);
  });

  it.each([
    ['http://rw:S3cretPass@127.0.0.1:4010/{routing}', 'http://rw:***@127.0.0.1:4010/{routing}'],
    ['https://rw@{routing}.api.riotgames.com', 'https://rw@{routing}.api.riotgames.com'],
  ])('rejects RIOT_API_BASE_URL=%s, with a user in it, without its password', (value, shown) => {
    const message = rejection({ RIOT_API_BASE_URL: value });
    expect(message).toContain(`RIOT_API_BASE_URL="${shown}": expected no user or password`);
    expect(message).not.toContain('S3cretPass');
  });

  it.each([
    ['http://127.0.0.1:4010/{routing}?x=1', 'no query'],
    ['http://127.0.0.1:notaport/{routing}', 'containing {routing}'],
    ['ftp://{routing}.example.test', 'containing {routing}'],
  ])('rejects RIOT_API_BASE_URL=%s', (value, expected) => {
    expect(rejection({ RIOT_API_BASE_URL: value })).toContain(expected);
  });

  it.each([
    ['two words', 'U+0020'],
    ['tökén', '“ö”, “é”'],
    ['tab\there', 'U+0009'],
  ])(
    'rejects ADMIN_TOKEN=%s, which no client sends as is, naming it and never its value',
    (token, named) => {
      const message = rejection({ ADMIN_TOKEN: token });
      expect(message).toBe(
        `Invalid configuration: ADMIN_TOKEN: The admin token cannot hold ${named}: only ASCII letters, digits and punctuation, without spaces`,
      );
    },
  );

  it('takes an ADMIN_TOKEN of visible ASCII', () => {
    expect(load({ ADMIN_TOKEN: ' Abc-123_~!$%&*+/=?^{|}#" ' }).adminToken).toBe(
      'Abc-123_~!$%&*+/=?^{|}#"',
    );
  });

  it.each([
    ['0.5', 0.5],
    [' .25 ', 0.25],
    ['1', 1],
    ['1.0', 1],
    ['0.001', 0.001],
  ])('reads RIOT_BUDGET_SHARE=%s as %s', (value, share) => {
    expect(load({ RIOT_BUDGET_SHARE: value }).riot.budgetShare).toBe(share);
  });

  it.each(['FALSE', 'False', ' no ', '0'])('reads JOB_SCHEDULER_ENABLED=%s as false', (value) => {
    expect(load({ JOB_SCHEDULER_ENABLED: value }).jobs.schedulerEnabled).toBe(false);
  });

  it('reports every bad variable at once', () => {
    const message = rejection({ JOB_TIMEOUT_SECONDS: 'abc', MAX_TRACKED_PLAYERS: '-1' });
    expect(message).toMatch(/JOB_TIMEOUT_SECONDS.*; MAX_TRACKED_PLAYERS/);
    expect(message, 'one line: the whole message of a failed start').not.toContain('\n');
  });

  it('reads .env when present, with real environment variables winning', async () => {
    const dir = await envDir();
    const file = join(dir, '.env');
    await writeFile(file, 'JOB_INTERVAL_SECONDS=180\nMAX_TRACKED_PLAYERS=3\n# comment\n');
    const config = loadConfig({ MAX_TRACKED_PLAYERS: '4' }, file);
    expect(config.jobs.intervalSeconds).toBe(180);
    expect(config.maxTrackedPlayers).toBe(4);
    expect(config.envFile).toBe(file);
    const missing = loadConfig({}, join(dir, 'missing.env'));
    expect(missing.jobs.intervalSeconds).toBe(120);
    expect(missing.envFile).toBeNull();
  });

  it('reads the file ENV_FILE names (as docker-compose mounts it), and no folder named .env', async () => {
    const dir = await envDir();
    await writeFile(join(dir, 'settings.env'), 'JOB_SCHEDULER_ENABLED=false\n');
    const named = loadConfig({ ENV_FILE: join(dir, 'settings.env') });
    expect(named.jobs.schedulerEnabled).toBe(false);
    expect(named.envFile).toBe(join(dir, 'settings.env'));
    await mkdir(join(dir, 'folder.env'));
    const folder = loadConfig({ ENV_FILE: join(dir, 'folder.env') });
    expect(folder.jobs.schedulerEnabled).toBe(true);
    expect(folder.envFile).toBeNull();
  });

  it('.env.example documents every variable', async () => {
    const example = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = new Set(
      example.match(/^(?:# )?[A-Z][A-Z_]+(?==)/gm)?.map((n) => n.replace('# ', '')),
    );
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('treats empty values as unset', () => {
    expect(load({ DATABASE_URL: '', ADMIN_TOKEN: '  ' })).toMatchObject({
      database: { url: undefined },
      adminToken: undefined,
    });
  });

  it('reads every value with the spaces around it (a .env line, a quoted shell value) left out', () => {
    expect(
      load({
        PORT: ' 8080 ',
        DEFAULT_PLATFORM: ' KR ',
        LOG_LEVEL: 'debug ',
        DATA_DIR: ' /srv/riftwatch ',
        JOB_TIMEOUT_SECONDS: '60 ',
      }),
    ).toMatchObject({
      port: 8080,
      riot: { defaultPlatform: 'kr' },
      logLevel: 'debug',
      dataDir: '/srv/riftwatch',
      jobs: { timeoutSeconds: 60 },
    });
  });
});
