import { existsSync, statSync } from 'node:fs';
import { CommanderError } from 'commander';
import { ApiError, type Issue } from '../api-client/errors.ts';
import type { CliState } from './commands/shared.ts';
import { EXIT, exitCodeOf, UsageError } from './exit-codes.ts';
import type { Io } from './output.ts';
import { buildProgram } from './program.ts';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The `{"error": …}` of --json output: USAGE for the command line, INTERNAL for the unexpected. */
function jsonErrorOf(error: unknown) {
  if (error instanceof ApiError) return error.toJSON();
  if (error instanceof CommanderError) {
    // `help` errors are help shown in place of an incomplete command (`riftwatch jobs`).
    const message =
      error.code === 'commander.help'
        ? 'Incomplete command line: add --help for usage'
        : error.message.replace(/^error: /, '');
    return { error: { code: 'USAGE', message } };
  }
  return { error: { code: 'INTERNAL', message: messageOf(error) } };
}

const issueText = (issue: Issue) => `${issue.path.join('.')}: ${issue.message}`;

/**
 * The message without the issues a validation error's message ends with ("Validation error:
 * input.a: …, input.b: …", the server's validation plugin lists them): they are printed below it,
 * one per line, their messages holding commas of their own.
 */
function withoutIssues(message: string, issues: Issue[]): string {
  const listed = `: ${issues.map(issueText).join(', ')}`;
  return issues.length > 0 && message.endsWith(listed) ? message.slice(0, -listed.length) : message;
}

function report(error: unknown, json: boolean, state: CliState, io: Io): void {
  if (error instanceof CommanderError && error.exitCode === 0) return;
  if (json) {
    // A streaming command's output is one JSON object per line: its error is one line too.
    const text = JSON.stringify(jsonErrorOf(error), null, state.streaming ? undefined : 2);
    io.stdout.write(`${text}\n`);
  }
  // Commander has printed its own message (usage errors, help).
  if (error instanceof CommanderError) return;
  if (error instanceof ApiError) {
    const { retryAfter, issues = [], executionId } = error.details;
    const detail = [
      ...issues.map((i) => `  ${issueText(i)}`),
      ...(retryAfter ? [`  retry in ${retryAfter} s`] : []),
      ...(executionId ? [`  the run was queued as execution ${executionId}`] : []),
    ];
    const message = withoutIssues(error.message, issues);
    io.stderr.write(`error (${error.code}): ${message}\n${detail.map((d) => `${d}\n`).join('')}`);
    return;
  }
  io.stderr.write(`error: ${messageOf(error)}\n`);
}

/** The variables the CLI reads (besides ENV_FILE). */
const CLI_VARIABLES = ['RIFTWATCH_URL', 'RIFTWATCH_TIMEOUT', 'ADMIN_TOKEN'];

/** `NAME=` means "not set", as it does for the server: the `.env` file or the default applies. */
function dropBlankVariables(): void {
  for (const name of CLI_VARIABLES) {
    if (process.env[name]?.trim() === '') delete process.env[name];
  }
}

/**
 * The server's `.env` (or the file ENV_FILE names, as in the Docker stack), for what the
 * environment leaves unset: an ADMIN_TOKEN kept there is the CLI's token too.
 */
function loadEnvFile(): void {
  const file = process.env.ENV_FILE || '.env';
  dropBlankVariables();
  try {
    if (existsSync(file) && statSync(file).isFile()) process.loadEnvFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? messageOf(error);
    const named = process.env.ENV_FILE ? ' (ENV_FILE)' : '';
    throw new UsageError(`Cannot read ${file}${named}: ${code}`);
  }
  dropBlankVariables();
}

/** Runs the CLI on `argv` (process.argv form) and sets the process's exit code. */
export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  // `riftwatch … | head`: once the reader has gone, stop quietly, as other command-line tools do.
  io.stdout.on?.('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  const state: CliState = { exitCode: EXIT.ok };
  try {
    // Before the program is built: its defaults read the environment.
    loadEnvFile();
  } catch (error) {
    report(error, argv.includes('--json'), state, io);
    process.exitCode = exitCodeOf(error);
    return exitCodeOf(error);
  }
  const program = buildProgram(io, state);
  let code: number;
  try {
    await program.parseAsync(argv);
    code = state.exitCode;
  } catch (error) {
    // Parsing may have failed before it reached --json.
    const json = program.opts().json === true || argv.includes('--json');
    report(error, json, state, io);
    code = exitCodeOf(error);
  }
  process.exitCode = code;
  return code;
}
