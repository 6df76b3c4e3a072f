import { describe, expect, it } from 'vitest';
import type { Execution } from '../../../src/api-client/types.ts';
import { executionsTable } from '../../../src/cli/commands/shared.ts';
import { createOutput, type Io } from '../../../src/cli/output.ts';

const out = createOutput({ stdout: { isTTY: false }, stderr: { isTTY: false } } as Io);

const execution = (overrides: Partial<Execution>): Execution => ({
  id: 'Sm9iRXhlY3V0aW9uOjE=',
  databaseId: 1,
  jobId: 'Sm9iOjE=',
  jobName: 'Player analyzer',
  jobType: 'player_analyzer',
  status: 'pending',
  trigger: 'manual',
  createdAt: '2026-01-02T03:04:05.678Z',
  startedAt: null,
  completedAt: null,
  durationSeconds: null,
  apiRequestsMade: 0,
  recordsCreated: 0,
  recordsUpdated: 0,
  errorMessage: null,
  workerId: null,
  progress: null,
  ...overrides,
});

/** The cells of the table's first data row. */
function firstRow(table: string): Record<string, string> {
  const rows = table
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const [head = [], first = []] = rows;
  return Object.fromEntries(head.map((name, i) => [name, first[i] ?? '']));
}

describe('executionsTable', () => {
  it('shows no start time for a run that has not started', () => {
    expect(firstRow(executionsTable(out, [execution({})]))).toMatchObject({
      STATUS: 'pending',
      STARTED: '-',
    });
  });

  it('shows when a run started, in UTC', () => {
    const running = execution({ status: 'running', startedAt: '2026-01-02T03:04:09.001Z' });
    expect(firstRow(executionsTable(out, [running])).STARTED).toBe('2026-01-02 03:04:09Z');
  });
});
