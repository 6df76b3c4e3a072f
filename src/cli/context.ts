import type { Command } from 'commander';
import { createApi } from '../api-client/api.ts';
import { createOutput, type Io } from './output.ts';
import { type Connection, httpExecutor } from './transport.ts';

export type GlobalOptions = { url: string; token?: string; timeout: number; json?: boolean };

/** What a command's action needs: the API over HTTP, the connection, the output. */
export function contextOf(command: Command, io: Io) {
  const options = command.optsWithGlobals<GlobalOptions>();
  const connection: Connection = {
    url: options.url,
    token: options.token || undefined,
    timeoutMs: options.timeout * 1000,
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
