import { describe, expect, it, vi } from 'vitest';
import { createPubSub } from '../../../src/events/pubsub.ts';
import type { ExecutionSnapshot } from '../../../src/jobs/engine/execution-rows.ts';
import { createRunState } from '../../../src/jobs/engine/run-state.ts';
import { silentLogger } from '../../../src/logger.ts';

const identity = { executionId: 1, jobConfigId: 1, jobType: 'tracked_player_updater' } as const;

/** A run state whose first `failures` writes reject (a DB update that fails). */
function stateWithFlakyWrite(failures: number) {
  const attempts: ExecutionSnapshot[] = [];
  const written: ExecutionSnapshot[] = [];
  let left = failures;
  const state = createRunState({
    identity,
    flushMs: 10,
    write: async (snapshot) => {
      attempts.push(snapshot);
      if (left > 0) {
        left -= 1;
        throw new Error('UPDATE failed (test)');
      }
      written.push(snapshot);
    },
    pubsub: createPubSub(),
    logger: silentLogger(),
  });
  return { state, attempts, written };
}

const items = (snapshots: ExecutionSnapshot[]) =>
  snapshots.flatMap((s) => s.newLogEntries.map((e) => (e as { item: string }).item));

describe('run state', () => {
  it('publishes no progress once closed (a handler abandoned after its timeout runs on)', async () => {
    const pubsub = createPubSub();
    const state = createRunState({
      identity,
      flushMs: 10,
      write: async () => {},
      pubsub,
      logger: silentLogger(),
    });
    const events = pubsub.subscribe('jobProgress');
    const first = events.next();
    state.progress({ phase: 'players', processed: 1, total: 3 });
    await state.close();
    const second = events.next();
    state.progress({ phase: 'players', processed: 2, total: 3 });
    // A marker published after: the next event must be it, not the closed run's.
    pubsub.publish('jobProgress', {
      ...identity,
      phase: 'marker',
      processed: 99,
      total: null,
      apiRequestsMade: 0,
      recordsCreated: 0,
      recordsUpdated: 0,
      at: '',
    });
    const seen = [(await first).value?.processed, (await second).value?.processed];
    await events.return();
    expect(seen).toEqual([1, 99]);
  });

  it('keeps log entries whose write failed for the next write', async () => {
    const { state, attempts, written } = stateWithFlakyWrite(1);
    state.itemFailed('a', new Error('boom'));
    state.itemFailed('b', new Error('boom'));
    await vi.waitFor(() => expect(attempts.length).toBeGreaterThanOrEqual(1));
    state.itemFailed('c', new Error('boom'));
    state.count('recordsCreated', 3);
    await state.close();
    const final = state.takeSnapshot();
    // Every entry reaches the row exactly once, in order: through a later flush or the final write.
    expect(items([...written, final])).toEqual(['a', 'b', 'c']);
    expect(final.counters.recordsCreated).toBe(3);
  });

  it('keeps them when nothing else changes after the failed write', async () => {
    const { state, attempts, written } = stateWithFlakyWrite(1);
    state.itemFailed('a', new Error('boom'));
    await vi.waitFor(() => expect(attempts.length).toBeGreaterThanOrEqual(1));
    await new Promise((r) => setTimeout(r, 50));
    await state.close();
    expect(items([...written, state.takeSnapshot()])).toEqual(['a']);
  });

  it('writes each entry once when writes succeed', async () => {
    const { state, written } = stateWithFlakyWrite(0);
    state.itemFailed('a', new Error('boom'));
    await vi.waitFor(() => expect(written.length).toBe(1));
    state.itemFailed('b', new Error('boom'));
    await state.close();
    expect(items([...written, state.takeSnapshot()])).toEqual(['a', 'b']);
  });
});
