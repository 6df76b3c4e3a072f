import { AsyncQueue } from '../events/async-queue.ts';
import {
  CLIENT_BACKLOG,
  type ExecutionStatusEvent,
  type JobProgressEvent,
  type RiftwatchPubSub,
  type RiftwatchTopics,
} from '../events/pubsub.ts';
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
  /** Ends the watcher's subscription with `error`. */
  fail(error: unknown): void;
};

type Feed = {
  watchers: Set<Watcher>;
  /**
   * Settles once events published elsewhere reach the feed (Redis confirmed the subscriptions),
   * or after LISTEN_WAIT_MS: a watcher reads its initial state only then, or an event published
   * in between (a final status) would be lost.
   */
  listening: Promise<void>;
  leave(watcher: Watcher): void;
};

/** How long a watcher waits for the feed's subscriptions to be confirmed (Redis down: not long). */
const LISTEN_WAIT_MS = 2000;

const feeds = new WeakMap<RiftwatchPubSub, Feed>();

/** Settles once `topics` published elsewhere reach this process, or after LISTEN_WAIT_MS. */
function listeningTo(pubsub: RiftwatchPubSub, topics: (keyof RiftwatchTopics)[]): Promise<void> {
  return Promise.race([
    Promise.all(topics.map((topic) => pubsub.listening(topic))),
    new Promise((resolve) => setTimeout(resolve, LISTEN_WAIT_MS).unref()),
  ]).then(() => {});
}

/**
 * The execution events of a pubsub, handed synchronously to every watcher from one subscription
 * per topic. A pubsub subscription per watcher and topic cost each event an event listener, a
 * queue and a loop per subscriber, a good part of delivering one event to 1,000 of them.
 * Subscribed when the first watcher comes, unsubscribed when the last one leaves.
 */
function executionFeed(pubsub: RiftwatchPubSub): Feed {
  const open = feeds.get(pubsub);
  if (open) return open;
  const watchers = new Set<Watcher>();
  // Each subscription is asked for its first event at once: listening starts now.
  const progress = pubsub.subscribe('jobProgress');
  const status = pubsub.subscribe('executionStatus');
  const close = () => {
    if (feeds.get(pubsub) === feed) feeds.delete(pubsub);
    void progress.return();
    void status.return();
  };
  // A subscription that fails or ends ends every watcher; the next watcher subscribes anew.
  const end = (error: unknown) => {
    close();
    for (const watcher of watchers) watcher.fail(error);
  };
  const ended = () => end(new Error('The execution event subscription ended'));
  // The two topics are two queues, with no order between them: a final status published right
  // after a burst of progress could overtake its last events, which would then be dropped as
  // older than a final state. It is held until the events already received are delivered; a
  // progress event newer than it is dropped meanwhile (nothing follows the end of a run).
  const finalAt = new Map<number, Date>();
  // Past its final status an execution has nothing more to say: the engine may still publish a
  // second one (an operator's cancel, then the worker's own end; the stale sweep, then the
  // worker), and a late progress write may follow. Dropped here, once for every watcher.
  const over = endedExecutions();
  relay(progress, (e, at) => {
    const final = finalAt.get(e.executionId);
    if (final ? at > final : over.has(e.executionId)) return;
    deliver(watchers, (w) => w.progress(e, at));
  }).then(ended, end);
  relay(status, (e, at) => {
    if (over.has(e.executionId)) return;
    if (!isFinalStatus(e.status)) return deliver(watchers, (w) => w.status(e, at));
    over.add(e.executionId);
    finalAt.set(e.executionId, at);
    setImmediate(() => {
      finalAt.delete(e.executionId);
      deliver(watchers, (w) => w.status(e, at));
    });
  }).then(ended, end);
  const feed: Feed = {
    watchers,
    listening: listeningTo(pubsub, ['jobProgress', 'executionStatus']),
    leave(watcher) {
      watchers.delete(watcher);
      if (watchers.size === 0) close();
    },
  };
  feeds.set(pubsub, feed);
  return feed;
}

/** Events that are not execution events (another publisher on a shared Redis) are dropped. */
async function relay<E extends Ref & { at: string }>(
  source: AsyncIterable<E>,
  handle: (event: E, at: Date) => void,
) {
  for await (const event of source) {
    if (typeof event !== 'object' || event === null || typeof event.executionId !== 'number') {
      continue;
    }
    const at = new Date(event.at);
    if (!Number.isNaN(at.getTime())) handle(event, at);
  }
}

/** A watcher that throws ends its own subscription, not the others'. */
function deliver(watchers: Set<Watcher>, call: (watcher: Watcher) => void) {
  for (const watcher of watchers) {
    try {
      call(watcher);
    } catch (error) {
      watcher.fail(error);
    }
  }
}

/** What a subscriber watches: the executions `matches` accepts, from what `initial` reads. */
export type WatchOptions<T> = {
  pubsub: RiftwatchPubSub;
  matches: (event: Ref) => boolean;
  initial: () => Promise<T[]>;
  endOnFinal: boolean;
};

/** How a kind of stream turns what it is given (read first, then events) into what it yields. */
type Handlers<T> = {
  /** Takes a value read by `initial` or made from an event, and yields it if it is news. */
  emit(value: T): void;
  progress?(event: JobProgressEvent, at: Date): void;
  status(event: ExecutionStatusEvent, at: Date): void;
};

/**
 * A subscriber's stream over the shared feed, of the events `matches` accepts. The events are
 * listened to before `initial` reads the database, so nothing falls between the two: those that
 * arrive meanwhile are handled after it, in order. With `endOnFinal`, ends after a final status.
 */
function feedStream<T extends { status: ExecutionStatus }>(
  options: WatchOptions<T>,
  setup: (push: (value: T) => void) => Handlers<T>,
): AsyncIterable<T> {
  // Joined on the consumer's first read, left when the stream ends or the consumer leaves.
  let feed: Feed | null = null;
  let buffered: Array<() => void> | null = [];
  const held =
    <E extends Ref>(handle: ((e: E, at: Date) => void) | undefined) =>
    (event: E, at: Date) => {
      if (!handle || !options.matches(event)) return;
      if (buffered) buffered.push(() => handle(event, at));
      else handle(event, at);
    };
  const start = async () => {
    feed = executionFeed(options.pubsub);
    feed.watchers.add(watcher);
    try {
      await feed.listening;
      for (const value of await options.initial()) handlers.emit(value);
      const waiting = buffered ?? [];
      buffered = null;
      for (const handle of waiting) handle();
    } catch (error) {
      queue.end(error);
    }
  };
  const queue: AsyncQueue<T> = new AsyncQueue(
    { start: () => void start(), close: () => feed?.leave(watcher) },
    CLIENT_BACKLOG,
  );
  const handlers = setup((value) => {
    queue.push(value);
    if (options.endOnFinal && isFinalStatus(value.status)) queue.end();
  });
  const watcher: Watcher = {
    progress: held(handlers.progress),
    status: held(handlers.status),
    fail: (error) => queue.end(error),
  };
  return queue;
}

/**
 * Progress and status changes of the executions `matches` accepts, merged into snapshots: the
 * current state first (`initial`), then each change; events older than what was read are
 * dropped.
 */
export function watchExecutions(
  options: WatchOptions<ExecutionState>,
): AsyncIterable<ExecutionState> {
  return feedStream(options, (push) => {
    // Until their final status, so a dashboard left open for days holds the executions running
    // now, not every one it ever saw: the feed drops what is published after a final status.
    const states = new Map<number, ExecutionState>();
    const emit = (state: ExecutionState) => {
      if (isFinalStatus(state.status)) states.delete(state.executionId);
      else states.set(state.executionId, state);
      push(state);
    };
    return {
      emit,
      progress(e, at) {
        const prev = states.get(e.executionId);
        if (prev?.progressAt && at < prev.progressAt) return;
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
      },
      status(e, at) {
        const prev = states.get(e.executionId);
        if (prev && STATUS_STAGE[e.status] <= STATUS_STAGE[prev.status]) return;
        emit({
          ...(prev ?? base(e, e.status)),
          status: e.status,
          errorMessage: e.errorMessage,
          at,
        });
      },
    };
  });
}

/**
 * The status changes of the executions `matches` accepts: the current status of each first
 * (`initial`), then each change, never one that is not past the status already given, and
 * nothing after a final status (the engine may publish a second one: an operator's cancel, then
 * the worker's own end; the stale sweep, then the worker).
 */
export function watchStatusChanges(
  options: WatchOptions<ExecutionStatusEvent>,
): AsyncIterable<ExecutionStatusEvent> {
  return feedStream(options, (push) => {
    // Until their final status: a later event is never older on this one topic, and none comes
    // after the final one (the feed drops it).
    const current = new Map<number, ExecutionStatus>();
    const emit = (event: ExecutionStatusEvent) => {
      const prev = current.get(event.executionId);
      if (prev && STATUS_STAGE[event.status] <= STATUS_STAGE[prev]) return;
      if (isFinalStatus(event.status)) current.delete(event.executionId);
      else current.set(event.executionId, event.status);
      push(event);
    };
    return { emit, status: emit };
  });
}

/**
 * How many ended executions the feed remembers (one set per process, whatever the number of
 * subscribers), to drop the late events of each (a second final status, a progress write that
 * lost the race). Those come within seconds to minutes of the end: a few thousand executions
 * ending in between is far beyond what the engine runs.
 */
export const ENDED_REMEMBERED = 4096;

/** The ids of the last `max` executions seen to end, oldest forgotten first. */
export function endedExecutions(max = ENDED_REMEMBERED) {
  const ids = new Set<number>();
  return {
    has: (id: number) => ids.has(id),
    add(id: number) {
      if (ids.has(id)) return;
      if (ids.size >= max) ids.delete(ids.values().next().value as number);
      ids.add(id);
    },
    get size() {
      return ids.size;
    },
  };
}

/**
 * A snapshot, then every change after it: `topic` is listened to (and, over Redis, confirmed)
 * before `snapshot` is taken, so a change published meanwhile is not lost: those received before
 * the snapshot was handed over follow it, in order. Starts on the consumer's first read; `fromEvent`
 * returns null for an event the subscriber does not want.
 */
export function snapshotThenChanges<K extends keyof RiftwatchTopics, T>(options: {
  pubsub: RiftwatchPubSub;
  topic: K;
  snapshot: () => T[];
  fromEvent: (event: RiftwatchTopics[K][0]) => T | null;
}): AsyncIterable<T> {
  let changes: ReturnType<RiftwatchPubSub['subscribe']> | null = null;
  let buffered: T[] | null = [];
  const start = async () => {
    const source = options.pubsub.subscribe(options.topic);
    changes = source;
    // The loop's first read starts listening, synchronously: before the snapshot below.
    (async () => {
      for await (const event of source) {
        const value = options.fromEvent(event);
        if (value === null) continue;
        if (buffered) buffered.push(value);
        else queue.push(value);
      }
    })().then(
      () => queue.end(),
      (error: unknown) => queue.end(error),
    );
    try {
      await listeningTo(options.pubsub, [options.topic]);
      for (const value of options.snapshot()) queue.push(value);
      const waiting = buffered ?? [];
      buffered = null;
      for (const value of waiting) queue.push(value);
    } catch (error) {
      queue.end(error);
    }
  };
  // The backlog is this queue's: the source is drained into it as its events come.
  const queue: AsyncQueue<T> = new AsyncQueue(
    { start: () => void start(), close: () => void changes?.return() },
    CLIENT_BACKLOG,
  );
  return queue;
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
