import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { registerExecutions } from './commands/executions.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerPlayers } from './commands/players.ts';
import type { CliState } from './commands/shared.ts';
import { registerStatus } from './commands/status.ts';
import { registerWatch } from './commands/watch.ts';
import type { Io } from './output.ts';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

const EXIT_CODES = `
Exit codes: 0 ok, 1 other failure (unreachable server, a waited-for run that failed or was
cancelled), 2 usage or invalid input, 3 not found, 4 no or wrong admin token, 5 limit reached,
conflict or rate limited, 130 a --wait stopped by Ctrl-C (143 by SIGTERM; the run goes on).

Examples:
  riftwatch jobs list
  riftwatch jobs trigger tracked_player_updater --wait
  riftwatch players track "Faker#KR1" --platform kr
  riftwatch --json executions list --status failed --since 24h`;

/** The command tree; every command talks GraphQL to a running riftwatch. */
export function buildProgram(io: Io, state: CliState): Command {
  const program = new Command('riftwatch')
    .description('Operate a running riftwatch: jobs, executions, players, status, live view')
    .version(version)
    .addOption(
      new Option('--url <url>', 'the riftwatch server')
        .env('RIFTWATCH_URL')
        .default('http://localhost:8000'),
    )
    .addOption(new Option('--token <token>', 'admin token, needed for changes').env('ADMIN_TOKEN'))
    .addOption(
      // Checked when a command runs (contextOf): a bad RIFTWATCH_TIMEOUT must not break --help.
      new Option('--timeout <seconds>', 'how long to wait for the server to answer')
        .env('RIFTWATCH_TIMEOUT')
        .default(30),
    )
    .option('--json', 'JSON output for scripts (the REST API bodies; errors as {"error": …})')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES);
  registerJobs(program, io, state);
  registerExecutions(program, io);
  registerPlayers(program, io);
  registerStatus(program, io);
  registerWatch(program, io, state);
  return program;
}
