import Table from 'cli-table3';
import { createColors } from 'picocolors';
import type { ExecutionStatus } from '../api-client/types.ts';

export type Io = {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
};

/** Human output: tables and colours when writing to a terminal, plain text otherwise. */
export function createOutput(io: Io) {
  const colored = io.stdout.isTTY === true && !process.env.NO_COLOR;
  const colors = createColors(colored);
  const statusColor: Record<ExecutionStatus, (s: string) => string> = {
    success: colors.green,
    failed: colors.red,
    cancelled: colors.gray,
    running: colors.cyan,
    pending: colors.yellow,
  };
  return {
    colors,
    line: (text = '') => io.stdout.write(`${text}\n`),
    note: (text: string) => io.stderr.write(`${text}\n`),
    json: (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    status: (status: ExecutionStatus | null | undefined) =>
      status ? (statusColor[status] ?? String)(status) : '-',
    table(head: string[], rows: Array<Array<string | number | null | undefined>>): string {
      const table = new Table({
        head: head.map((h) => colors.bold(h)),
        // cli-table3 colours headers and borders by default: none outside a terminal or with
        // NO_COLOR.
        ...(!colored && { style: { head: [], border: [] } }),
      });
      for (const row of rows) table.push(row.map((cell) => (cell == null ? '-' : String(cell))));
      return table.toString();
    },
  };
}

export type Output = ReturnType<typeof createOutput>;

/** `2026-01-02T03:04:05.678Z` → `2026-01-02 03:04:05Z`. */
export const time = (iso: string | null | undefined) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : null;

export const seconds = (value: number | null | undefined) =>
  value == null ? null : `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;

export const percent = (ratio: number | null | undefined) =>
  ratio == null ? null : `${Math.round(ratio * 1000) / 10}%`;
