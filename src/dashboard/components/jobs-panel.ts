import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { dateTime, relative } from '../format.ts';
import type { Job } from '../types.ts';
import { StatusBadge } from './status-badge.ts';

/** Resolves to what to tell the operator: the run queued, or why not. */
export type TriggerJob = (job: Job) => Promise<{ ok: boolean; message: string }>;

function JobRow({ job, onTrigger, now }: { job: Job; onTrigger: TriggerJob; now: number }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const trigger = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await onTrigger(job));
    } catch (error) {
      setOutcome({ ok: false, message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const schedule = job.configError
    ? html`<span class="error">${job.configError}</span>`
    : (job.scheduleDescription ?? job.schedule ?? 'default interval');
  return html`<tr data-job=${job.jobType}>
    <th scope="row">${job.name}<div class="sub">${job.jobType}</div></th>
    <td>${job.isActive ? 'Yes' : html`<span class="muted">No</span>`}</td>
    <td>${schedule}</td>
    <td>
      ${
        job.lastRun
          ? html`<${StatusBadge} status=${job.lastRun.status} />
              <div class="sub">${dateTime(job.lastRun.startedAt)}</div>`
          : html`<span class="muted">never</span>`
      }
    </td>
    <td>
      ${dateTime(job.nextRunAt)}
      ${job.nextRunAt && html`<div class="sub">${relative(job.nextRunAt, now)}</div>`}
    </td>
    <td>
      <button type="button" onClick=${trigger} disabled=${busy} aria-label=${`Trigger ${job.name}`}>
        ${busy ? 'Triggering…' : 'Trigger'}
      </button>
      ${
        outcome &&
        html`<div class=${outcome.ok ? 'sub' : 'error'} role=${outcome.ok ? 'status' : 'alert'}>
          ${outcome.message}
        </div>`
      }
    </td>
  </tr>`;
}

export function JobsPanel(props: {
  jobs: Job[];
  schedulerEnabled: boolean | null;
  onTrigger: TriggerJob;
  now: number;
}) {
  return html`<section class="panel wide" aria-labelledby="jobs-title">
    <h2 id="jobs-title">Jobs</h2>
    ${
      props.schedulerEnabled === false &&
      html`<p class="note">The scheduler is disabled (JOB_SCHEDULER_ENABLED=false): runs start only when triggered.</p>`
    }
    <table>
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">Active</th>
          <th scope="col">Schedule</th>
          <th scope="col">Last run</th>
          <th scope="col">Next run</th>
          <th scope="col">Run now</th>
        </tr>
      </thead>
      <tbody>
        ${props.jobs.map(
          (job) =>
            html`<${JobRow} key=${job.id} job=${job} onTrigger=${props.onTrigger} now=${props.now} />`,
        )}
      </tbody>
    </table>
  </section>`;
}
