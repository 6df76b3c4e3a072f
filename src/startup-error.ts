import { ConfigError } from './config.ts';

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
