import type { Command } from 'commander';
import { adminTokenProblem } from '../admin-token.ts';
import { createApi } from '../api-client/api.ts';
import { UsageError } from './exit-codes.ts';
import { createOutput, type Io } from './output.ts';
import { type Connection, httpExecutor } from './transport.ts';

export type GlobalOptions = {
  url: string;
  token?: string;
  timeout: string | number;
  json?: boolean;
};

/** The option, or the variable when the value came from the environment (or `.env`). */
const sourceName = (command: Command, option: string, variable: string) =>
  command.getOptionValueSourceWithGlobals(option) === 'env' ? variable : `--${option}`;

/** --timeout (or RIFTWATCH_TIMEOUT) in seconds, the error naming where the value came from. */
function timeoutSeconds(command: Command, value: string | number): number {
  const text = String(value);
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 3600) return Number(text);
  const name = sourceName(command, 'timeout', 'RIFTWATCH_TIMEOUT');
  throw new UsageError(`${name} must be a whole number of seconds from 1 to 3600, not ${text}`);
}

/** What a command's action needs: the API over HTTP, the connection, the output. */
export function contextOf(command: Command, io: Io) {
  const options = command.optsWithGlobals<GlobalOptions>();
  // Spaces around it are not the token's, as the server reads ADMIN_TOKEN.
  const token = options.token?.trim() || undefined;
  // The problem names the characters at fault, never the token: the message may end up in a log.
  const problem = token === undefined ? null : adminTokenProblem(token);
  if (problem) throw new UsageError(`${sourceName(command, 'token', 'ADMIN_TOKEN')}: ${problem}`);
  const connection: Connection = {
    url: options.url,
    urlName: sourceName(command, 'url', 'RIFTWATCH_URL'),
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
