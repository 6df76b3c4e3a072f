import { z } from 'zod';
import { maskUrlPassword } from './mask-url.ts';

type RawEnv = Record<string, string | undefined>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    // One line: it is the whole message a failed start prints.
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * Parses environment variables with `schema`, blank ones counting as unset.
 * Throws ConfigError naming every bad variable, its value and the form it expects.
 */
export function readEnv<S extends z.ZodType>(schema: S, env: RawEnv): z.output<S> {
  const given = definedOnly(env);
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      if (issue.code === 'custom' && issue.params?.secret) return `${name}: ${issue.message}`;
      // The message is printed and logged: a URL's password must not be in it.
      const shown = maskUrlPassword(given[name] ?? '');
      return `${name}=${JSON.stringify(shown)}: ${issue.message}`;
    }),
  );
}

export function definedOnly(env: RawEnv): Record<string, string> {
  // `NAME=` in a .env file or the shell means "not set", as dotenv users expect.
  return Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => e[1] !== undefined && e[1].trim() !== '',
    ),
  );
}

export const boolean = (fallback: boolean) =>
  z
    .string()
    .default(fallback ? 'true' : 'false')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }))
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number in [min, max], written in plain digits. */
export const wholeNumber = (
  min: number,
  max: number,
  expected = `expected a whole number >= ${min} and <= ${max}`,
) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, expected)
    .transform(Number)
    // A digit string too long for a finite number is out of range, not of another type.
    .pipe(z.number({ error: expected }).int().min(min, expected).max(max, expected));

/** A whole number in [min, max]; the upper bounds keep values inside what timers and SQL take. */
export const integer = (fallback: number, min: number, max: number) =>
  wholeNumber(min, max).default(fallback);

/** A TCP port to listen on; 0 takes any free one (tests use it). */
export const port = (fallback: number, expected?: string) =>
  wholeNumber(0, 65_535, expected).default(fallback);

/** A number > 0 and <= max, written like 0.5 or 2 (no sign, exponent or unit). */
export const positiveNumber = (expected: string, max = Number.POSITIVE_INFINITY) =>
  z
    .string()
    .trim()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, expected)
    .transform(Number)
    .pipe(z.number({ error: expected }).gt(0, expected).max(max, expected));

/** A decimal fraction in (0, 1], written like 0.5 or 1. */
export const fraction = (fallback: number) =>
  positiveNumber('expected a number > 0 and <= 1, e.g. 0.5', 1).default(fallback);

export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Optional text never shown in a message (a token); `problem` says what is wrong with it. */
export const secretText = (problem: (value: string) => string | null) =>
  optionalText.superRefine((value, ctx) => {
    const message = value === undefined ? null : problem(value);
    if (message) ctx.addIssue({ code: 'custom', message, params: { secret: true } });
  });

// A MongoDB connection string may list several hosts (`mongodb://h1:27017,h2:27017/db`), which
// URL cannot parse: each is checked on its own.
const HOST_LIST_SCHEMES = new Set(['mongodb', 'mongodb+srv']);

const AUTHORITY = /^([a-z][a-z\d+.-]*):\/\/([^/?#]*@)?([^/?#]*)(.*)$/is;

/**
 * Whether a driver can read `value` as a URL: a port that is not a number, or a `/` or `#` left
 * unescaped in a password, fails here rather than as a bare "Invalid URL" once riftwatch is half
 * started. An empty host is the driver's default (pg: the local socket).
 */
function parsesAsUrl(value: string): boolean {
  const [, scheme = '', userinfo = '', hostList = '', rest = ''] = AUTHORITY.exec(value) ?? [];
  if (!scheme) return false;
  const hosts = HOST_LIST_SCHEMES.has(scheme) ? hostList.split(',') : [hostList];
  return hosts.every((host) =>
    URL.canParse(`${scheme}://${userinfo}${host || 'localhost'}${rest}`),
  );
}

export const urlWithScheme = (schemes: readonly string[], hint: string) =>
  optionalText.superRefine((v, ctx) => {
    if (v === undefined) return;
    if (!schemes.some((s) => v.startsWith(`${s}://`))) {
      ctx.addIssue({ code: 'custom', message: `expected ${hint}` });
    } else if (!parsesAsUrl(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${hint} that parses: check its host and port, and percent-encode any / ? # in its user or password`,
      });
    }
  });
