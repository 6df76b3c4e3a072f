import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { adminTokenProblem } from './admin-token.ts';
import {
  boolean,
  definedOnly,
  fraction,
  integer,
  optionalText,
  port,
  readEnv,
  secretText,
  urlWithScheme,
} from './env.ts';
import { MAX_LIVE_CONNECTIONS_PER_ADDRESS } from './graphql/connection-limit.ts';
import { DEFAULT_THROTTLE } from './graphql/throttle.ts';
import { MAX_INTERVAL_SECONDS } from './jobs/engine/schedule.ts';
import { LOG_FORMATS } from './logger.ts';
import { PLATFORMS } from './riot/routing.ts';

export { ConfigError } from './env.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const ONE_DAY_SECONDS = 86_400;

const RIOT_TEMPLATE =
  'expected an http(s) URL template containing {routing}, e.g. https://{routing}.api.riotgames.com';

/**
 * What is wrong with a Riot base URL template, which request paths are appended to. fetch refuses
 * a URL with a user or password, quoting it whole in its error (which reaches answers and logs).
 */
function riotBaseUrlProblem(template: string): string | null {
  if (!/^https?:\/\//i.test(template) || !template.includes('{routing}')) return RIOT_TEMPLATE;
  const filled = template.replaceAll('{routing}', 'euw1');
  if (!URL.canParse(filled)) return RIOT_TEMPLATE;
  const url = new URL(filled);
  if (url.username || url.password) {
    return 'expected no user or password in it: the Riot API key goes in RIOT_API_KEY';
  }
  if (/[?#]/.test(template)) {
    return 'expected no query or fragment: request paths are appended to it';
  }
  return null;
}

// A trailing `/` would make every request `…/euw1//lol/…`, which Riot answers 404.
const riotBaseUrl = optionalText
  .transform((v) => v?.replace(/\/+$/, ''))
  .superRefine((v, ctx) => {
    const message = v === undefined ? null : riotBaseUrlProblem(v);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const schema = z.object({
  JOB_SCHEDULER_ENABLED: boolean(true),
  JOB_INTERVAL_SECONDS: integer(120, 1, MAX_INTERVAL_SECONDS),
  JOB_TIMEOUT_SECONDS: integer(90, 1, ONE_DAY_SECONDS),
  MAX_TRACKED_PLAYERS: integer(10, 0, 1_000_000),
  DB_POOL_SIZE: integer(20, 1, 1000),
  DB_MAX_OVERFLOW: integer(40, 0, 1000),
  DATABASE_URL: urlWithScheme(['postgres', 'postgresql'], 'a postgres:// or postgresql:// URL'),
  JOB_STORE_URL: urlWithScheme(
    ['postgres', 'postgresql', 'mongodb', 'mongodb+srv'],
    'a postgres:// or mongodb:// URL',
  ),
  RIOT_API_KEY: optionalText,
  RIOT_API_BASE_URL: riotBaseUrl,
  RIOT_BUDGET_SHARE: fraction(1),
  DEFAULT_PLATFORM: z
    .string()
    .default('euw1')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` })),
  PORT: port(8000),
  ADMIN_TOKEN: secretText(adminTokenProblem),
  LOG_LEVEL: z
    .string()
    .default('info')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })),
  LOG_FORMAT: z
    .string()
    .default('auto')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(LOG_FORMATS, { error: `expected one of ${LOG_FORMATS.join(', ')}` })),
  REDIS_URL: urlWithScheme(['redis', 'rediss'], 'a redis:// URL'),
  JOB_EXECUTION_RETENTION_DAYS: integer(30, 1, 36_500),
  MUTATION_RATE_BURST: integer(DEFAULT_THROTTLE.burst, 1, 100_000),
  MUTATION_RATE_PER_MINUTE: integer(DEFAULT_THROTTLE.perMinute, 1, 1_000_000),
  LIVE_CONNECTIONS_PER_ADDRESS: integer(MAX_LIVE_CONNECTIONS_PER_ADDRESS, 1, 1_000_000),
  DATA_DIR: z.string().trim().default('.riftwatch'),
});

type Env = z.output<typeof schema>;

/** Every variable the server reads: ENV_FILE, and those it reads from the env file too. */
export const CONFIG_VARIABLES: readonly string[] = ['ENV_FILE', ...Object.keys(schema.shape)];

export type Config = Readonly<{
  jobs: Readonly<{
    schedulerEnabled: boolean;
    intervalSeconds: number;
    timeoutSeconds: number;
    executionRetentionDays: number;
  }>;
  maxTrackedPlayers: number;
  database: Readonly<{ url: string | undefined; poolSize: number; maxOverflow: number }>;
  jobStoreUrl: string | undefined;
  riot: Readonly<{
    apiKey: string | undefined;
    baseUrl: string | undefined;
    defaultPlatform: Env['DEFAULT_PLATFORM'];
    /** Fraction of the key's rate limits this process (or, with REDIS_URL, all of them) uses. */
    budgetShare: number;
  }>;
  port: number;
  /** Visible ASCII without spaces (see admin-token.ts). */
  adminToken: string | undefined;
  /** GraphQL mutations per caller: a token bucket of `burst`, refilled by `perMinute`. */
  mutationThrottle: Readonly<{ burst: number; perMinute: number }>;
  /** Open WebSockets and SSE streams one client address may hold. */
  liveConnectionsPerAddress: number;
  logLevel: Env['LOG_LEVEL'];
  /** `auto`: readable lines on a terminal, JSON otherwise. */
  logFormat: Env['LOG_FORMAT'];
  redisUrl: string | undefined;
  dataDir: string;
  /** The env file whose values were read (`.env`, or the one ENV_FILE names); null: none. */
  envFile: string | null;
}>;

/**
 * Reads the environment (and `.env` when present; real env vars win) into a frozen Config.
 * Throws ConfigError naming every bad variable and the form it expects.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  envFile: string | null = env.ENV_FILE || '.env',
): Config {
  const read = envFile && existsSync(envFile) && statSync(envFile).isFile() ? envFile : null;
  const fromFile = read ? parseEnv(readFileSync(read, 'utf8')) : {};
  // A blank variable in the environment leaves the file's value in place.
  const e = readEnv(schema, { ...fromFile, ...definedOnly(env) });
  return deepFreeze({
    jobs: {
      schedulerEnabled: e.JOB_SCHEDULER_ENABLED,
      intervalSeconds: e.JOB_INTERVAL_SECONDS,
      timeoutSeconds: e.JOB_TIMEOUT_SECONDS,
      executionRetentionDays: e.JOB_EXECUTION_RETENTION_DAYS,
    },
    maxTrackedPlayers: e.MAX_TRACKED_PLAYERS,
    database: { url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE, maxOverflow: e.DB_MAX_OVERFLOW },
    jobStoreUrl: e.JOB_STORE_URL,
    riot: {
      apiKey: e.RIOT_API_KEY,
      baseUrl: e.RIOT_API_BASE_URL,
      defaultPlatform: e.DEFAULT_PLATFORM,
      budgetShare: e.RIOT_BUDGET_SHARE,
    },
    port: e.PORT,
    adminToken: e.ADMIN_TOKEN,
    mutationThrottle: { burst: e.MUTATION_RATE_BURST, perMinute: e.MUTATION_RATE_PER_MINUTE },
    liveConnectionsPerAddress: e.LIVE_CONNECTIONS_PER_ADDRESS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    redisUrl: e.REDIS_URL,
    dataDir: e.DATA_DIR,
    envFile: read,
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}
