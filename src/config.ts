import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { MAX_INTERVAL_SECONDS } from './jobs/engine/schedule.ts';
import { LOG_FORMATS } from './logger.ts';
import { maskUrlPassword } from './mask-url.ts';
import { PLATFORMS } from './riot/routing.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const boolean = (fallback: boolean) =>
  z
    .string()
    .default(fallback ? 'true' : 'false')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }))
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number in [min, max]; the upper bounds keep values inside what timers and SQL take. */
const integer = (fallback: number, min: number, max: number) => {
  const expected = `expected a whole number >= ${min} and <= ${max}`;
  return z
    .string()
    .default(String(fallback))
    .pipe(
      z
        .string()
        .trim()
        .regex(/^\d+$/, expected)
        .transform(Number)
        .pipe(z.number().int().min(min, expected).max(max, expected)),
    );
};

const ONE_DAY_SECONDS = 86_400;

/** A decimal fraction in (0, 1], written like 0.5 or 1. */
const fraction = (fallback: number) => {
  const expected = 'expected a number > 0 and <= 1, e.g. 0.5';
  return z
    .string()
    .default(String(fallback))
    .pipe(
      z
        .string()
        .trim()
        .regex(/^(\d+(\.\d*)?|\.\d+)$/, expected)
        .transform(Number)
        .pipe(z.number().gt(0, expected).max(1, expected)),
    );
};

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const urlWithScheme = (schemes: readonly string[], hint: string) =>
  optionalText.refine(
    (v) => v === undefined || schemes.some((s) => v.startsWith(`${s}://`)),
    `expected ${hint}`,
  );

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
  RIOT_API_BASE_URL: optionalText.refine(
    (v) => v === undefined || (/^https?:\/\//.test(v) && v.includes('{routing}')),
    'expected an http(s) URL template containing {routing}, e.g. https://{routing}.api.riotgames.com',
  ),
  RIOT_BUDGET_SHARE: fraction(1),
  DEFAULT_PLATFORM: z
    .string()
    .default('euw1')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` })),
  // 0: any free port (tests use it).
  PORT: integer(8000, 0, 65535),
  ADMIN_TOKEN: optionalText,
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
  MUTATION_RATE_BURST: integer(30, 1, 100_000),
  MUTATION_RATE_PER_MINUTE: integer(60, 1, 1_000_000),
  LIVE_CONNECTIONS_PER_ADDRESS: integer(100, 1, 1_000_000),
  DATA_DIR: z.string().trim().default('.riftwatch'),
});

type Env = z.output<typeof schema>;

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
}>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    // One line: it is the whole message a failed start prints.
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * Reads the environment (and `.env` when present; real env vars win) into a frozen Config.
 * Throws ConfigError naming every bad variable and the form it expects.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  envFile: string | null = env.ENV_FILE || '.env',
): Config {
  const fromFile =
    envFile && existsSync(envFile) && statSync(envFile).isFile()
      ? parseEnv(readFileSync(envFile, 'utf8'))
      : {};
  const merged = { ...definedOnly(fromFile), ...definedOnly(env) };
  const result = schema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        // The message is printed and logged: a URL's password must not be in it.
        const shown = maskUrlPassword(merged[name] ?? '');
        return `${name}=${JSON.stringify(shown)}: ${issue.message}`;
      }),
    );
  }
  const e = result.data;
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
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  // `NAME=` in a .env file or the shell means "not set", as dotenv users expect.
  return Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => e[1] !== undefined && e[1].trim() !== '',
    ),
  );
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}
