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

/**
 * Progress and status changes of the executions `matches` accepts, merged into snapshots. The
 * pubsub is subscribed before `initial` reads the database, so nothing falls between the two;
 * events older than what was read are dropped. With `endOnFinal`, ends after a final status.
 */
export function watchExecutions(options: {
  pubsub: RiftwatchPubSub;
  matches: (event: Ref) => boolean;
  initial: () => Promise<ExecutionState[]>;
  endOnFinal: boolean;
}): AsyncIterable<ExecutionState> {
  return new Repeater<ExecutionState>(async (push, stop) => {
    const progress = options.pubsub.subscribe('jobProgress');
    const status = options.pubsub.subscribe('executionStatus');
    const states = new Map<number, ExecutionState>();
    let buffered: Array<() => void> | null = [];
    const emit = (state: ExecutionState) => {
      states.set(state.executionId, state);
      void push(state);
      if (options.endOnFinal && isFinalStatus(state.status)) stop();
    };
    const onProgress = (e: JobProgressEvent) => {
      const prev = states.get(e.executionId);
      const at = new Date(e.at);
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
    const onStatus = (e: ExecutionStatusEvent) => {
      const prev = states.get(e.executionId);
      if (prev && STATUS_STAGE[e.status] <= STATUS_STAGE[prev.status]) return;
      const at = new Date(e.at);
      emit({ ...(prev ?? base(e, e.status)), status: e.status, errorMessage: e.errorMessage, at });
    };
    const pump = async <E extends Ref>(source: AsyncIterable<E>, handle: (e: E) => void) => {
      for await (const event of source) {
        if (!options.matches(event)) continue;
        if (buffered) buffered.push(() => handle(event));
        else handle(event);
      }
    };
    const pumps = [pump(progress, onProgress), pump(status, onStatus)];
    try {
      for (const state of await options.initial()) emit(state);
      const waiting = buffered;
      buffered = null;
      for (const handle of waiting) handle();
    } catch (error) {
      stop(error);
    }
    await stop;
    await Promise.allSettled([progress.return(), status.return(), ...pumps]);
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
