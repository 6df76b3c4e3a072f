import { Agenda, type Job } from 'agenda';
import type { Logger } from '../../logger.ts';
import type { JobStore } from './agenda-store.ts';
import { SCHEDULED_PREFIX, type ScheduledJobData } from './schedule-reconciler.ts';

/**
 * This worker's Agenda on `store`. `onScheduledRunSaved` gets each of this process's scheduled
 * runs once Agenda saved its state; `running()` counts this process's jobs whose state is not yet
 * saved (stop() waits for them).
 */
export function createAgenda(options: {
  store: JobStore;
  workerId: string;
  processEveryMs: number;
  lockLifetimeMs: number;
  logger: Logger;
  onScheduledRunSaved(name: string, data: ScheduledJobData): void;
}): { agenda: Agenda; running(): number } {
  const agenda = new Agenda({
    backend: options.store.backend,
    name: options.workerId,
    processEvery: options.processEveryMs,
    defaultLockLifetime: options.lockLifetimeMs,
    maxConcurrency: 20,
  });
  let running = 0;
  agenda.on('error', (error) => options.logger.error({ err: error }, 'Agenda error'));
  // Other processes' runs arrive as events too, as notifications without attrs: not ours.
  agenda.on('start', (job: Job | { jobName: string }) => {
    if ('attrs' in job) running += 1;
  });
  agenda.on('complete', (job: Job | { jobName: string }) => {
    if (!('attrs' in job)) return;
    running -= 1;
    const data = job.attrs.data as ScheduledJobData | undefined;
    if (job.attrs.name.startsWith(SCHEDULED_PREFIX) && data?.configId !== undefined)
      options.onScheduledRunSaved(job.attrs.name, data);
  });
  return { agenda, running: () => running };
}
