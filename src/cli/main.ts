import { CommanderError } from 'commander';
import { ApiError } from '../api-client/errors.ts';
import { EXIT, exitCodeOf } from './exit-codes.ts';
import type { Io } from './output.ts';
import { buildProgram } from './program.ts';

function report(error: unknown, json: boolean, io: Io): void {
  // Commander has printed its own message (usage errors, help).
  if (error instanceof CommanderError) return;
  if (error instanceof ApiError) {
    if (json) io.stdout.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
    const { retryAfter, issues } = error.details;
    const detail = [
      ...(issues ?? []).map((i) => `  ${i.path.join('.')}: ${i.message}`),
      ...(retryAfter ? [`  retry in ${retryAfter} s`] : []),
    ];
    io.stderr.write(
      `error (${error.code}): ${error.message}\n${detail.map((d) => `${d}\n`).join('')}`,
    );
    return;
  }
  io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
}

/** Runs the CLI on `argv` (process.argv form) and sets the process's exit code. */
export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const state = { exitCode: EXIT.ok as number };
  const program = buildProgram(io, state);
  let code: number;
  try {
    await program.parseAsync(argv);
    code = state.exitCode;
  } catch (error) {
    report(error, program.opts().json === true, io);
    code = exitCodeOf(error);
  }
  process.exitCode = code;
  return code;
}
