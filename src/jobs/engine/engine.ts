import type { Agenda } from 'agenda';
import type { PrismaClient } from '../../db/prisma.ts';
import type { RiftwatchPubSub } from '../../events/pubsub.ts';
import type { Logger } from '../../logger.ts';
import type { RiotClient } from '../../riot/client.ts';
import { createAgenda } from './agenda-runtime.ts';
import { createJobStore, type JobStore } from './agenda-store.ts';
import { coalesced } from './coalesced.ts';
import { createConfigListener } from './config-listener.ts';
import { createDispatcher, QUEUED_JOB, type QueuedJobData } from './dispatch.ts';
import { coerceError, JobEngineNotRunningError, JobShutdownError } from './errors.ts';
import { createHandlerLocks } from './handler-locks.ts';
import { createWorkerId, holdWorkerLock } from './liveness.ts';
import { DEFAULT_TIMINGS, type EngineTimings } from './timings.ts';

export { DEFAULT_TIMINGS, type EngineTimings } from './timings.ts';

import type { RunningSet } from './run-lifecycle.ts';
import {
  reconcileSchedules,
  SCHEDULED_PREFIX,
  type ScheduledJobData,
  scheduledJobName,
} from './schedule-reconciler.ts';
import { failStaleExecutions } from './stale-sweep.ts';
import type { JobRegistry, Trigger } from './types.ts';

export type JobEngineOptions = {
  prisma: PrismaClient;
  /** riftwatch's PostgreSQL: the LISTEN connection and, unless jobStoreUrl is set, Agenda's store. */
  databaseUrl: string;
  jobStoreUrl?: string | undefined;
  /** A prepared store instead of jobStoreUrl (tests). */
  store?: JobStore;
  logger: Logger;
  pubsub: RiftwatchPubSub;
  riot?: RiotClient | undefined;
  jobs: {
    schedulerEnabled: boolean;
    intervalSeconds: number;
    timeoutSeconds: number;
  };
  registry: JobRegistry;
  timings?: Partial<EngineTimings>;
  workerId?: string;
};

export type JobEngine = ReturnType<typeof createJobEngine>;

/**
 * Agenda driven by job_configurations. start(): LISTEN for configuration changes (taking the
 * liveness lock), fail stale rows, reconcile schedules, start Agenda, queue orphaned pending rows
 * again. stop(): stop scheduling, let running executions finish for `drainMs`, cancel what still
 * runs, close the store.
 */
export function createJobEngine(options: JobEngineOptions) {
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const logger = options.logger.child({ component: 'jobs' });
  const workerId = options.workerId ?? createWorkerId();
  const { registry } = options;
  const { schedulerEnabled, intervalSeconds, timeoutSeconds } = options.jobs;
  const lockLifetimeMs = timeoutSeconds * 1000 + timings.lockMarginMs;
  const running: RunningSet = new Map();
  const timers: NodeJS.Timeout[] = [];
  let agenda: Agenda | null = null;
  let store: JobStore | null = null;
  const forceNext = new Set<number>();
  /** Agenda jobs of this process between 'start' and 'complete' (its state saved). */
  let agendaRunning = () => 0;
  let phase: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let stopped: Promise<void> | null = null;

  const requireAgenda = () => {
    if (!agenda) throw new Error('Job engine not started');
    return agenda;
  };
  const handlerLocks = createHandlerLocks({ session: () => listener.session(), logger });
  const dispatcher = createDispatcher({
    prisma: options.prisma,
    pubsub: options.pubsub,
    logger,
    riot: options.riot,
    workerId,
    timeoutSeconds,
    heartbeatMs: timings.heartbeatMs,
    progressFlushMs: timings.progressFlushMs,
    abandonGraceMs: timings.abandonGraceMs,
    agenda: requireAgenda,
    registry,
    intervalSeconds,
    schedulerEnabled,
    requeueMs: timings.requeueMs,
    orphanGraceMs: timings.orphanGraceMs,
    running,
    handlerLocks,
    stopping: () => phase === 'stopping' || phase === 'stopped',
    onStaleSchedule: (configId) => {
      forceNext.add(configId);
      void guard('reconcile', reconcile)();
    },
  });
  const inFlight = new Set<Promise<void>>();
  const guard = (what: string, work: () => Promise<unknown>) => () => {
    const task = work().then(
      () => {},
      (error: unknown) => {
        logger.error({ err: coerceError(error) }, `Job engine: ${what} failed`);
      },
    );
    inFlight.add(task);
    return task.finally(() => inFlight.delete(task));
  };
  /** Waits for the work in flight, aborting the runs still going after `drainMs`. */
  const drain = async (drainMs: number) => {
    const cancel = setTimeout(() => {
      for (const { controller } of running.values())
        controller.abort(new JobShutdownError(drainMs));
    }, drainMs);
    try {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    } finally {
      clearTimeout(cancel);
    }
  };

  const defined = new Set<number>();
  const ensureDefined = (configId: number) => {
    if (defined.has(configId)) return;
    defined.add(configId);
    requireAgenda().define<ScheduledJobData>(
      scheduledJobName(configId),
      async (job) =>
        guard('scheduled run', () => dispatcher.runScheduled(configId, job.attrs.data))(),
      { concurrency: 1, lockLifetime: lockLifetimeMs },
    );
  };

  const intervalMismatchWarned = new Set<string>();
  /** Serialised and coalesced: bursts of NOTIFY cost one extra pass at most. */
  const reconcile = coalesced(async () => {
    // Stopped meanwhile: nothing to reconcile into.
    if (!agenda) return { scheduled: [], invalid: [] };
    const force = new Set(forceNext);
    forceNext.clear();
    return reconcileSchedules({
      prisma: options.prisma,
      agenda,
      registry,
      intervalSeconds,
      schedulerEnabled,
      workerId,
      logger,
      warned: intervalMismatchWarned,
      ensureDefined,
      force,
    });
  });
  const listener = createConfigListener({
    databaseUrl: options.databaseUrl,
    logger,
    applicationName: `riftwatch-worker ${workerId}`,
    onChange: () => void guard('reconcile', reconcile)(),
    // The session that LISTENs also proves this worker alive to the others (liveness.ts), and
    // holds the locks of the handlers running here (handler-locks.ts).
    onConnected: async (session) => {
      await holdWorkerLock(session, workerId);
      await handlerLocks.attach(session);
    },
  });
  const sweepStale = () =>
    failStaleExecutions({
      prisma: options.prisma,
      pubsub: options.pubsub,
      logger,
      workerId,
      staleAfterMs: lockLifetimeMs,
      deadAfterMs: timings.deadAfterMs,
    });

  /**
   * Stops scheduling, lets running executions finish for `drainMs`, cancels what still runs,
   * then releases the liveness lock and closes the store. Every stage runs even if an earlier
   * one failed (a store that is down must not keep runs from draining); failures are logged.
   */
  async function stopEngine(): Promise<void> {
    phase = 'stopping';
    for (const timer of timers.splice(0)) clearInterval(timer);
    const stage = async (name: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        logger.error({ err: coerceError(error), stage: name }, 'Job engine stop: stage failed');
      }
    };
    // stop(false) ends polling and unlocks the jobs locked ahead of their run time (drain()
    // does not: other processes would wait out the lock lifetime). Jobs already running keep
    // their locks, and the connection stays open for them to save their state as they end.
    if (agenda) await stage('stop polling', () => (agenda as Agenda).stop(false));
    await stage('drain', () => drain(timings.drainMs));
    // Agenda saves each finished job's state after its processor returns: let it.
    await stage('save', async () => {
      const deadline = Date.now() + 2000;
      while (Date.now() < deadline && agendaRunning() > 0) await delay(25);
    });
    agenda = null;
    // Only now: the listener's session holds the liveness lock that keeps other workers from
    // failing our draining runs as stale.
    await stage('release liveness', () => listener.stop());
    // A store passed in belongs to the caller; ours is closed here.
    if (!options.store) await stage('close store', async () => store?.close());
    phase = 'stopped';
    logger.info({ worker_id: workerId }, 'Job engine stopped');
  }

  return {
    workerId,
    schedulerEnabled,
    intervalSeconds,
    registry,
    /** Where the engine publishes job events (the use-cases publish theirs there too). */
    pubsub: options.pubsub,
    async start() {
      if (phase !== 'new') throw new Error(`Job engine cannot start: it is ${phase}`);
      phase = 'starting';
      store =
        options.store ??
        (await createJobStore({
          jobStoreUrl: options.jobStoreUrl,
          databaseUrl: options.databaseUrl,
          onConnectionError: (error) =>
            logger.warn({ err: error }, 'Job store connection lost; reconnecting'),
        }));
      const runtime = createAgenda({
        store,
        workerId,
        processEveryMs: timings.processEveryMs,
        lockLifetimeMs,
        logger,
        // Agenda stores, as a run ends, the next run it computed when the run began. If the
        // schedule changed meanwhile, that overwrote the new schedule's next run: schedule again.
        onScheduledRunSaved: (name, data) =>
          void guard('reschedule after a run', async () => {
            if (!agenda || phase !== 'running') return;
            const { jobs } = await agenda.queryJobs({ name });
            const stored = jobs[0]?.data as ScheduledJobData | undefined;
            if (stored && stored.signature !== data.signature) {
              forceNext.add(data.configId);
              await reconcile();
            }
          })(),
      });
      agenda = runtime.agenda;
      agendaRunning = runtime.running;
      agenda.define<QueuedJobData>(
        QUEUED_JOB,
        async (job) =>
          guard('queued run', () => dispatcher.runQueued(job.attrs.data.executionId))(),
        { concurrency: 5, lockLifetime: lockLifetimeMs, removeOnComplete: true },
      );
      // Liveness lock first: from here on, other workers can tell this one is alive.
      await listener.start();
      await sweepStale();
      if (!schedulerEnabled) {
        logger.warn(
          'Job scheduler disabled (JOB_SCHEDULER_ENABLED=false): no scheduled runs; manual triggers still run',
        );
      }
      await reconcile();
      await agenda.start();
      await dispatcher.requeueOrphans();
      timers.push(setInterval(guard('reconcile', reconcile), timings.safetyPollMs));
      timers.push(setInterval(guard('stale sweep', sweepStale), timings.staleSweepMs));
      timers.push(
        setInterval(guard('orphan sweep', dispatcher.requeueOrphans), timings.staleSweepMs),
      );
      phase = 'running';
      logger.info(
        { worker_id: workerId, store: store.description, scheduler_enabled: schedulerEnabled },
        'Job engine started',
      );
    },
    /**
     * Stops scheduling, lets running executions finish for `drainMs`, cancels what still runs,
     * then releases the liveness lock and closes the store. Every stage runs even if an earlier
     * one failed (a store that is down must not keep runs from draining); failures are logged.
     */
    stop(): Promise<void> {
      // A second call waits for the first one's drain.
      stopped ??= stopEngine();
      return stopped;
    },
    /** Inserts a pending execution, queues it, and returns its id at once. */
    enqueue: (jobConfigId: number, trigger: Trigger = 'manual') => {
      // Refused before any row is written: a stopping engine could no longer run it.
      if (phase !== 'running') return Promise.reject(new JobEngineNotRunningError(phase));
      return dispatcher.enqueue(jobConfigId, trigger);
    },
    /** Aborts a run of this process whose row was already ended (cancelled, failed) by the caller. */
    abortLocal(executionId: number, reason: Error): boolean {
      const controller = running.get(executionId)?.controller;
      controller?.abort(reason);
      return controller !== undefined;
    },
    reconcile,
    /**
     * Resolves once a reconcile pass that started after the call has ended, so the schedules (and
     * nextRuns) reflect every configuration change committed before it. A failed pass is logged,
     * not thrown: the change itself is committed, and the safety poll retries the pass.
     */
    schedulesSettled: () => guard('reconcile', reconcile)(),
    sweepStale,
    requeueOrphans: () => dispatcher.requeueOrphans(),
    /** Next scheduled run per configuration id, from Agenda's store. */
    async nextRuns(): Promise<Map<number, Date | null>> {
      // Agenda's store closes as the engine stops.
      if (!agenda || phase === 'stopping') {
        throw new JobEngineNotRunningError(phase, 'its schedules were not read');
      }
      const { jobs } = await agenda.queryJobs({ search: SCHEDULED_PREFIX });
      return new Map(
        jobs
          .filter((j) => j.type === 'single' && !j.disabled)
          .map((j) => [(j.data as ScheduledJobData).configId, j.nextRunAt ?? null]),
      );
    },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
