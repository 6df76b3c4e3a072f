import { ConfigError } from './config.ts';
import { maskUrlPassword } from './mask-url.ts';

/** A start-up failure whose message tells the operator what is wrong, as is. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * The one line a failed start prints on stderr: what failed and what to do, never a stack (the
 * logger has it at debug level).
 */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StartupError) return oneLine(error.message);
  const { code, syscall, port } = (error ?? {}) as {
    code?: string;
    syscall?: string;
    port?: number;
  };
  if (syscall === 'listen' && code === 'EADDRINUSE') {
    return `PORT ${port} is already in use: stop the process listening on it, or set PORT to a free port`;
  }
  if (syscall === 'listen' && code === 'EACCES') {
    return `PORT ${port} cannot be opened (permission denied): set PORT to 1024 or above`;
  }
  return oneLine(`riftwatch failed to start: ${reasonOf(error)}`);
}

/**
 * `Cannot connect to <service> at host:port (<variable>): <reason>`: where the server is and which
 * variable points there, never the URL's password (a driver may echo it in its reason).
 */
export function cannotConnect(
  target: { service: string; variable: string; url: string; defaultPort?: number },
  error: unknown,
): StartupError {
  const { hosts, password } = authorityOf(target.url, target.defaultPort);
  let reason = maskUrlPassword(reasonOf(error));
  for (const secret of new Set([password, safeDecode(password)])) {
    if (secret) reason = reason.replaceAll(secret, '[redacted]');
  }
  return new StartupError(
    `Cannot connect to ${target.service} at ${hosts || '?'} (${target.variable}): ${reason}`,
    { cause: error },
  );
}

/**
 * A URL's host:port list (`h1:27017,h2:27017` for a MongoDB replica set, which URL cannot parse)
 * and its password as written. The user info ends at the last `@` before the query: a password
 * may hold an unescaped `/`.
 */
function authorityOf(url: string, defaultPort?: number): { hosts: string; password: string } {
  const beforeQuery = url.replace(/^[a-z][a-z\d+.-]*:\/\//i, '').split(/[?#]/)[0] ?? '';
  const at = beforeQuery.lastIndexOf('@');
  const userInfo = at < 0 ? '' : beforeQuery.slice(0, at);
  const colon = userInfo.indexOf(':');
  const hosts = (beforeQuery.slice(at + 1).split('/')[0] ?? '')
    .split(',')
    .filter(Boolean)
    .map((host) => withPort(host, defaultPort))
    .join(',');
  return { hosts, password: colon < 0 ? '' : userInfo.slice(colon + 1) };
}

/** A port as written, a wrong one included (`db:notaport` is where the URL points). */
function withPort(host: string, defaultPort: number | undefined): string {
  return /:[^:\]]*$/.test(host) || defaultPort === undefined ? host : `${host}:${defaultPort}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An error's message and its causes', AggregateError's inner errors included. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner =
    error instanceof AggregateError ? error.errors.map(reasonOf).filter(Boolean).join('; ') : '';
  const own = error.message || inner || (error as { code?: string }).code || error.name;
  const cause = error.cause === undefined ? '' : reasonOf(error.cause);
  return cause && !own.includes(cause) ? `${own}: ${cause}` : own;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
