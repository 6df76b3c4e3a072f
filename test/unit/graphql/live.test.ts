import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import {
  createPubSub,
  type RiftwatchPubSub,
  type RiftwatchTopics,
} from '../../../src/events/pubsub.ts';
import {
  ENDED_REMEMBERED,
  type ExecutionState,
  endedExecutions,
  watchExecutions,
  watchStatusChanges,
} from '../../../src/graphql/live.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();
const progress = (processed: number, ms: number, executionId = 1) => ({
  executionId,
  jobConfigId: 2,
  jobType: 'player_analyzer',
  phase: 'players',
  processed,
  total: 3,
  apiRequestsMade: processed,
  recordsCreated: 0,
  recordsUpdated: 0,
  at: at(ms),
});
const status = (s: 'running' | 'success' | 'pending', ms: number) => ({
  executionId: 1,
  jobConfigId: 2,
  jobType: 'player_analyzer',
  status: s,
  trigger: 'manual' as const,
  errorMessage: null,
  at: at(ms),
});

test('current state first; events older than it dropped; merged snapshots; ends on the final status', async () => {
  const pubsub = createPubSub();
  let release: () => void = () => {};
  const initialRead = new Promise<void>((resolve) => {
    release = resolve;
  });
  const initial: ExecutionState = {
    executionId: 1,
    jobConfigId: 2,
    jobType: 'player_analyzer',
    status: 'running',
    phase: 'players',
    processed: 2,
    total: 3,
    apiRequestsMade: 2,
    recordsCreated: 0,
    recordsUpdated: 0,
    errorMessage: null,
    at: new Date(at(500)),
    progressAt: new Date(at(200)),
  };
  const stream = watchExecutions({
    pubsub,
    matches: (e) => e.executionId === 1,
    initial: async () => {
      await initialRead;
      return [initial];
    },
    endOnFinal: true,
  });
  const seen: ExecutionState[] = [];
  const done = (async () => {
    for await (const state of stream) seen.push(state);
  })();
  await new Promise((resolve) => setTimeout(resolve, 10));
  // Published while the row is being read: buffered, then judged against it.
  pubsub.publish('jobProgress', progress(1, 100)); // older than the row's progress: dropped
  pubsub.publish('executionStatus', status('running', 50)); // not newer than running: dropped
  pubsub.publish('jobProgress', progress(3, 300, 9)); // another execution: filtered out
  pubsub.publish('jobProgress', progress(3, 300));
  release();
  await new Promise((resolve) => setTimeout(resolve, 10));
  pubsub.publish('executionStatus', status('success', 400));
  pubsub.publish('jobProgress', progress(3, 450)); // after the end: not delivered
  await done;
  expect(seen.map((s) => [s.status, s.processed])).toEqual([
    ['running', 2],
    ['running', 3],
    ['success', 3],
  ]);
  expect(seen[2]?.apiRequestsMade).toBe(3);
});

const watchAll = (pubsub: RiftwatchPubSub) =>
  watchExecutions({ pubsub, matches: () => true, initial: async () => [], endOnFinal: true });

/** Each state a stream yields until it ends, or the error it ends with. */
async function collect(stream: AsyncIterable<ExecutionState>) {
  const seen: string[] = [];
  try {
    for await (const state of stream) seen.push(`${state.status}:${state.processed}`);
  } catch (error) {
    seen.push(`error:${(error as Error).message}`);
  }
  return seen;
}

test('watchers share one pubsub subscription per topic, and each gets every event', async () => {
  const pubsub = createPubSub();
  const topics: string[] = [];
  const counted = {
    ...pubsub,
    subscribe: ((topic: keyof RiftwatchTopics) => {
      topics.push(topic);
      return pubsub.subscribe(topic);
    }) as RiftwatchPubSub['subscribe'],
  };
  const streams = Array.from({ length: 5 }, () => collect(watchAll(counted)));
  await new Promise((resolve) => setTimeout(resolve, 10));
  pubsub.publish('jobProgress', progress(1, 100));
  pubsub.publish('executionStatus', status('success', 200));
  expect(await Promise.all(streams)).toEqual(Array(5).fill(['running:1', 'success:1']));
  expect(topics.sort()).toEqual(['executionStatus', 'jobProgress']);
});

test('a final status published right after a burst of progress comes after it, with its counts', async () => {
  const pubsub = createPubSub();
  const streams = [collect(watchAll(pubsub)), collect(watchAll(pubsub))];
  await new Promise((resolve) => setTimeout(resolve, 10));
  // In one tick, as a worker's last progress write and its final status can land.
  pubsub.publish('jobProgress', progress(1, 100));
  pubsub.publish('jobProgress', progress(2, 200));
  pubsub.publish('jobProgress', progress(3, 300));
  pubsub.publish('executionStatus', status('success', 400));
  // Stamped after the end: dropped, though its queue delivers it before the held status.
  pubsub.publish('jobProgress', progress(3, 500));
  expect(await Promise.all(streams)).toEqual(
    Array(2).fill(['running:1', 'running:2', 'running:3', 'success:3']),
  );
});

test('a failed subscription ends every watcher with its error; the next watcher subscribes anew', async () => {
  let subscriptions = 0;
  let fail: (error: Error) => void = () => {};
  const broken = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const pubsub = {
    publish: () => {},
    listening: async () => {},
    subscribe: () => {
      subscriptions += 1;
      return (async function* () {
        yield await broken;
      })();
    },
  } as unknown as RiftwatchPubSub;
  const streams = [collect(watchAll(pubsub)), collect(watchAll(pubsub))];
  await new Promise((resolve) => setTimeout(resolve, 10));
  fail(new Error('connection lost'));
  expect(await Promise.all(streams)).toEqual(Array(2).fill(['error:connection lost']));
  expect(subscriptions).toBe(2);
  void collect(watchAll(pubsub));
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(subscriptions).toBe(4);
});

test('events that are not execution events are dropped; a watcher that throws ends alone', async () => {
  const pubsub = createPubSub();
  const throwing = watchExecutions({
    pubsub,
    matches: (e) => {
      if (e.executionId === 7) throw new Error('bad filter');
      return true;
    },
    initial: async () => [],
    endOnFinal: true,
  });
  const streams = [collect(watchAll(pubsub)), collect(throwing)];
  await new Promise((resolve) => setTimeout(resolve, 10));
  pubsub.publish('jobProgress', null as never);
  pubsub.publish('jobProgress', { ...progress(1, 100), at: 'not a time' });
  pubsub.publish('jobProgress', progress(2, 100, 7));
  pubsub.publish('executionStatus', status('success', 200));
  expect(await Promise.all(streams)).toEqual([['running:2', 'success:0'], ['error:bad filter']]);
});

test('the last watcher leaving unsubscribes; the next one subscribes again', async () => {
  const listening = new Set<string>();
  const target = new EventTarget();
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  target.addEventListener = (type, listener, options) => {
    listening.add(type);
    add(type, listener, options);
  };
  target.removeEventListener = (type, listener, options) => {
    listening.delete(type);
    remove(type, listener, options);
  };
  const pubsub = createPubSub(target);
  for (let round = 0; round < 2; round++) {
    const stream = collect(watchAll(pubsub));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([...listening].sort()).toEqual(['executionStatus', 'jobProgress']);
    pubsub.publish('executionStatus', status('success', 100 + round));
    expect(await stream).toEqual(['success:0']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(listening.size).toBe(0);
  }
});

const ended = (s: 'running' | 'cancelled' | 'failed' | 'success', ms: number, executionId = 7) => ({
  executionId,
  jobConfigId: 2,
  jobType: 'player_analyzer',
  status: s,
  trigger: 'manual' as const,
  errorMessage: s === 'cancelled' ? 'Cancelled by operator' : null,
  at: at(ms),
});

/** The first `n` values of `stream`, as `label` writes them, then it is left. */
async function firstOf<T>(stream: AsyncIterable<T>, n: number, label: (value: T) => string) {
  const seen: string[] = [];
  for await (const value of stream) {
    seen.push(label(value));
    if (seen.length === n) break;
  }
  return seen;
}

test('a second final status of the same execution is dropped, by both kinds of stream', async () => {
  const pubsub = createPubSub();
  const options = { pubsub, matches: () => true, initial: async () => [], endOnFinal: false };
  const label = (v: { executionId: number; status: string }) => `${v.executionId}:${v.status}`;
  // The marker (execution 8) comes last on the same topic: what was dropped before it is dropped.
  const streams = [
    firstOf(watchStatusChanges(options), 3, label),
    firstOf(watchExecutions(options), 3, label),
  ];
  await new Promise((resolve) => setTimeout(resolve, 10));
  pubsub.publish('executionStatus', ended('running', 1));
  pubsub.publish('executionStatus', ended('cancelled', 2)); // the operator's cancel
  await new Promise((resolve) => setTimeout(resolve, 10));
  pubsub.publish('executionStatus', ended('failed', 3)); // the slow worker's own end
  pubsub.publish('jobProgress', progress(3, 4, 7)); // its last progress write, late
  await new Promise((resolve) => setTimeout(resolve, 10));
  pubsub.publish('executionStatus', ended('success', 5, 8));
  expect(await Promise.all(streams)).toEqual(
    Array(2).fill(['7:running', '7:cancelled', '8:success']),
  );
});

test('jobProgress without executionId keeps no state of an ended execution', async () => {
  // A state kept after the end is reachable from the stream: its WeakRef would stay set.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const pubsub = createPubSub();
  const stream = watchExecutions({
    pubsub,
    matches: () => true,
    initial: async () => [],
    endOnFinal: false,
  });
  const iterator = stream[Symbol.asyncIterator]();
  const refs: WeakRef<ExecutionState>[] = [];
  const read = async () => {
    const next = await iterator.next();
    refs.push(new WeakRef(next.value as ExecutionState));
    return (next.value as ExecutionState).status;
  };
  const first = read();
  await new Promise((resolve) => setTimeout(resolve, 10));
  pubsub.publish('jobProgress', progress(1, 100, 7));
  expect(await first).toBe('running');
  pubsub.publish('executionStatus', ended('success', 200));
  expect(await read()).toBe('success');
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc();
  expect(refs.map((ref) => ref.deref()?.status)).toEqual([undefined, undefined]);
  // What it keeps instead, a bounded set of ids, still drops the late duplicate.
  pubsub.publish('executionStatus', ended('failed', 300));
  pubsub.publish('executionStatus', ended('success', 400, 8));
  expect(await read()).toBe('success');
  expect(refs.at(-1)?.deref()?.executionId).toBe(8);
  await iterator.return?.();
});

test('the ended executions remembered are bounded: the oldest is forgotten first', () => {
  const remembered = endedExecutions(3);
  for (const id of [1, 2, 3, 2, 4]) remembered.add(id);
  expect([1, 2, 3, 4].map((id) => remembered.has(id))).toEqual([false, true, true, true]);
  expect(remembered.size).toBe(3);
  expect(ENDED_REMEMBERED).toBeGreaterThanOrEqual(1000);
});
