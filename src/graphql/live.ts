import { Repeater } from 'graphql-yoga';
import type { ExecutionStatusEvent, JobProgressEvent, RiftwatchPubSub } from '../events/pubsub.ts';
import { type ExecutionStatus, isFinalStatus, STATUS_STAGE } from '../jobs/engine/index.ts';

/** An execution's whole known state: each update a subscriber gets is a full snapshot. */
export type ExecutionState = {
  executionId: number;
  jobConfigId: number;
  jobType: string;
  status: ExecutionStatus;
  phase: string | null;
  processed: number;
  total: number | null;
  apiRequestsMade: number;
  recordsCreated: number;
  recordsUpdated: number;
  errorMessage: string | null;
  at: Date;
  /** When the progress part was taken (the worker's clock); older progress events are stale. */
  progressAt: Date | null;
};

type Ref = { executionId: number; jobConfigId: number };

/** `at` is the event's own time, read once for all watchers. */
type Watcher = {
  progress(event: JobProgressEvent, at: Date): void;
  status(event: ExecutionStatusEvent, at: Date): void;
  fail(error: unknown): void;
};

const feeds = new WeakMap<RiftwatchPubSub, Set<Watcher>>();

/**
 * The execution events of a pubsub, handed synchronously to every watcher from one subscription
 * per topic. A pubsub subscription per watcher and topic cost each event an event listener, a
 * queue and a loop per subscriber, a good part of delivering one event to 1,000 of them.
 * Subscribed when the first watcher starts, for as long as the pubsub lives.
 */
function executionFeed(pubsub: RiftwatchPubSub): Set<Watcher> {
  let watchers = feeds.get(pubsub);
  if (!watchers) {
    const feed = new Set<Watcher>();
    feeds.set(pubsub, feed);
    // A subscription that fails ends its watchers' subscriptions; the next watcher subscribes anew.
    const failed = (error: unknown) => {
      if (feeds.get(pubsub) === feed) feeds.delete(pubsub);
      for (const watcher of feed) watcher.fail(error);
    };
    // Each loop asks for its subscription's first event at once: listening starts now.
    relay(pubsub.subscribe('jobProgress'), (e) => {
      const at = new Date(e.at);
      for (const watcher of feed) watcher.progress(e, at);
    }).catch(failed);
    relay(pubsub.subscribe('executionStatus'), (e) => {
      const at = new Date(e.at);
      for (const watcher of feed) watcher.status(e, at);
    }).catch(failed);
    watchers = feed;
  }
  return watchers;
}

async function relay<E>(source: AsyncIterable<E>, deliver: (event: E) => void) {
  for await (const event of source) deliver(event);
}

/**
 * Progress and status changes of the executions `matches` accepts, merged into snapshots. The
 * events are listened to before `initial` reads the database, so nothing falls between the two;
 * events older than what was read are dropped. With `endOnFinal`, ends after a final status.
 */
export function watchExecutions(options: {
  pubsub: RiftwatchPubSub;
  matches: (event: Ref) => boolean;
  initial: () => Promise<ExecutionState[]>;
  endOnFinal: boolean;
}): AsyncIterable<ExecutionState> {
  return new Repeater<ExecutionState>(async (push, stop) => {
    const feed = executionFeed(options.pubsub);
    const states = new Map<number, ExecutionState>();
    let buffered: Array<() => void> | null = [];
    const emit = (state: ExecutionState) => {
      states.set(state.executionId, state);
      void push(state);
      if (options.endOnFinal && isFinalStatus(state.status)) stop();
    };
    const onProgress = (e: JobProgressEvent, at: Date) => {
      const prev = states.get(e.executionId);
      if (prev?.progressAt && at < prev.progressAt) return;
      if (prev && isFinalStatus(prev.status)) return;
      emit({
        ...(prev ?? base(e, 'running')),
        status: 'running',
        phase: e.phase,
        processed: e.processed,
        total: e.total,
        apiRequestsMade: e.apiRequestsMade,
        recordsCreated: e.recordsCreated,
        recordsUpdated: e.recordsUpdated,
        at,
        progressAt: at,
      });
    };
    const onStatus = (e: ExecutionStatusEvent, at: Date) => {
      const prev = states.get(e.executionId);
      if (prev && STATUS_STAGE[e.status] <= STATUS_STAGE[prev.status]) return;
      emit({ ...(prev ?? base(e, e.status)), status: e.status, errorMessage: e.errorMessage, at });
    };
    // A watcher's failure ends its own subscription, not the feed of the others.
    const listen =
      <E extends Ref>(handle: (e: E, at: Date) => void) =>
      (event: E, at: Date) => {
        if (!options.matches(event)) return;
        if (buffered) buffered.push(() => handle(event, at));
        else {
          try {
            handle(event, at);
          } catch (error) {
            stop(error);
          }
        }
      };
    const watcher: Watcher = { progress: listen(onProgress), status: listen(onStatus), fail: stop };
    feed.add(watcher);
    try {
      for (const state of await options.initial()) emit(state);
      const waiting = buffered;
      buffered = null;
      for (const handle of waiting) handle();
    } catch (error) {
      stop(error);
    }
    await stop;
    feed.delete(watcher);
  });
}

function base(e: Ref & { jobType: string }, status: ExecutionStatus): ExecutionState {
  return {
    executionId: e.executionId,
    jobConfigId: e.jobConfigId,
    jobType: e.jobType,
    status,
    phase: null,
    processed: 0,
    total: null,
    apiRequestsMade: 0,
    recordsCreated: 0,
    recordsUpdated: 0,
    errorMessage: null,
    at: new Date(),
    progressAt: null,
  };
}
