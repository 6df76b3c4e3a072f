import type { Command } from 'commander';
import { createApi } from '../api-client/api.ts';
import { UsageError } from './exit-codes.ts';
import { createOutput, type Io } from './output.ts';
import { type Connection, httpExecutor } from './transport.ts';

/** What an HTTP header's value may hold (tabs, visible ASCII and Latin-1). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export type GlobalOptions = {
  url: string;
  token?: string;
  timeout: string | number;
  json?: boolean;
};

/** --timeout (or RIFTWATCH_TIMEOUT) in seconds, the error naming where the value came from. */
function timeoutSeconds(command: Command, value: string | number): number {
  const text = String(value);
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 3600) return Number(text);
  const name =
    command.getOptionValueSourceWithGlobals('timeout') === 'env'
      ? 'RIFTWATCH_TIMEOUT'
      : '--timeout';
  throw new UsageError(`${name} must be a whole number of seconds from 1 to 3600, not ${text}`);
}

/** What a command's action needs: the API over HTTP, the connection, the output. */
export function contextOf(command: Command, io: Io) {
  const options = command.optsWithGlobals<GlobalOptions>();
  const token = options.token || undefined;
  // Not quoted: the message may end up in a log.
  if (token !== undefined && !HEADER_VALUE.test(token)) {
    throw new UsageError(
      'The admin token (--token or ADMIN_TOKEN) holds a character an HTTP header cannot carry (a line break, or one beyond Latin-1)',
    );
  }
  const connection: Connection = {
    url: options.url,
    token,
    timeoutMs: timeoutSeconds(command, options.timeout) * 1000,
  };
  return {
    api: createApi(httpExecutor(connection)),
    connection,
    json: options.json === true,
    out: createOutput(io),
    io,
  };
}

export type CliContext = ReturnType<typeof contextOf>;
