import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { useTick } from '../clock.ts';
import { dateTime, relative } from '../format.ts';
import { pure } from '../pure.ts';
import { outcomeOfError, outcomeText, type TriggerOutcome } from '../trigger-outcome.ts';
import type { Job } from '../types.ts';
import { Empty } from './empty.ts';
import { StatusBadge } from './status-badge.ts';

/** Resolves to what to tell the operator once the run is triggered or not; rejects on a failure. */
export type TriggerJob = (job: Job) => Promise<TriggerOutcome>;

type RowProps = {
  job: Job;
  onTrigger: TriggerJob;
  schedulerEnabled: boolean | null;
  /** No mutation is accepted before then (the browser's clock), or null. */
  throttledUntil: number | null;
  onThrottled: (until: number) => void;
  /** Counts the socket's returns after a disconnect. */
  reconnects: number;
};

function NextRun({ job, schedulerEnabled }: Pick<RowProps, 'job' | 'schedulerEnabled'>) {
  if (schedulerEnabled === false) return html`<span class="muted">only when triggered</span>`;
  return html`${dateTime(job.nextRunAt)}
    ${job.nextRunAt && html`<div class="sub">${relative(job.nextRunAt)}</div>`}`;
}

function JobRow({
  job,
  onTrigger,
  schedulerEnabled,
  throttledUntil,
  onThrottled,
  reconnects,
}: RowProps) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<TriggerOutcome | null>(null);
  // "Cannot be reached" is over once the server is back.
  useEffect(() => {
    setOutcome((o) => (o?.kind === 'unreachable' ? null : o));
  }, [reconnects]);
  const now = Date.now();
  const throttled = throttledUntil !== null && throttledUntil > now;
  // Unusable rather than disabled: a disabled button drops keyboard focus (to the page's body)
  // when the token dialog closes and gives it back.
  const unusable = busy || throttled;
  const trigger = async () => {
    if (unusable) return;
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await onTrigger(job));
    } catch (error) {
      const failure = outcomeOfError(error, Date.now());
      if (failure.kind === 'throttled') onThrottled(failure.until);
      setOutcome(failure);
    } finally {
      setBusy(false);
    }
  };
  const message = outcome && outcomeText(outcome, now);
  const ok = outcome?.kind === 'triggered';
  const schedule = job.configError
    ? html`<span class="error">${job.configError}</span>`
    : (job.scheduleDescription ?? job.schedule ?? 'default interval');
  return html`<tr data-job=${job.jobType}>
    <th scope="row">${job.name}<div class="sub">${job.jobType}</div></th>
    <td>
      <button
        type="button"
        onClick=${trigger}
        aria-disabled=${unusable ? 'true' : undefined}
        aria-label=${`Trigger ${job.name}`}
      >
        ${busy ? 'Triggering…' : 'Trigger'}
      </button>
      ${
        message &&
        html`<div class=${ok ? 'sub' : 'error'} role=${ok ? 'status' : 'alert'}>${message}</div>`
      }
    </td>
    <td data-column="active">${job.isActive ? 'Yes' : html`<span class="muted">No</span>`}</td>
    <td>${schedule}</td>
    <td>
      ${
        job.lastRun
          ? html`<${StatusBadge} status=${job.lastRun.status} />
              <div class="sub">${dateTime(job.lastRun.startedAt)}</div>`
          : html`<span class="muted">never</span>`
      }
    </td>
    <td><${NextRun} job=${job} schedulerEnabled=${schedulerEnabled} /></td>
  </tr>`;
}

type Props = {
  jobs: Job[];
  loaded: boolean;
  schedulerEnabled: boolean | null;
  onTrigger: TriggerJob;
  reconnects: number;
};

function Jobs({ jobs, loaded, schedulerEnabled, onTrigger, reconnects }: Props) {
  // The mutation budget is the caller's, not a job's: spent, it stops every Trigger button.
  const [throttledUntil, setThrottledUntil] = useState<number | null>(null);
  const throttled = throttledUntil !== null && throttledUntil > Date.now();
  // Every second while a countdown shows, else every 5 s for the "in 2 min" labels.
  useTick(throttled ? 1000 : 5000);
  return html`<section class="panel wide" aria-labelledby="jobs-title">
    <h2 id="jobs-title">Jobs</h2>
    ${
      schedulerEnabled === false &&
      html`<p class="note">The scheduler is disabled (JOB_SCHEDULER_ENABLED=false): runs start only when triggered.</p>`
    }
    ${
      jobs.length === 0
        ? html`<${Empty} loaded=${loaded}>No job is configured.</${Empty}>`
        : html`<table>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Run now</th>
              <th scope="col">Active</th>
              <th scope="col">Schedule</th>
              <th scope="col">Last run</th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            ${jobs.map(
              (job) =>
                html`<${JobRow}
                  key=${job.id}
                  job=${job}
                  onTrigger=${onTrigger}
                  schedulerEnabled=${schedulerEnabled}
                  throttledUntil=${throttled ? throttledUntil : null}
                  onThrottled=${setThrottledUntil}
                  reconnects=${reconnects}
                />`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}

export const JobsPanel = pure(Jobs);
