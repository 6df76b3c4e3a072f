import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { type TokenPrompt, triggerJob } from '../admin.ts';
import type { Api } from '../graphql.ts';
import { useOverview } from '../use-overview.ts';
import { ExecutionsPanel } from './executions-panel.ts';
import { JobsPanel, type TriggerJob } from './jobs-panel.ts';
import { FlaggedPanel, TrackedPanel } from './players-panels.ts';
import { ProgressPanel } from './progress-panel.ts';
import { RateLimitsPanel } from './rate-limits-panel.ts';

/** The browser's clock, for "in 2 min" labels: a local tick, nothing asked of the server. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function Overview({ api, prompt }: { api: Api; prompt: TokenPrompt }) {
  const [state, dispatch] = useOverview(api);
  const now = useNow(5000);
  useEffect(() => {
    document.title = 'riftwatch';
  }, []);
  const onTrigger: TriggerJob = async (job) => {
    const execution = await triggerJob(api, job.id, prompt.ask);
    if (!execution) return { ok: false, message: 'Not triggered: no admin token given.' };
    dispatch({ type: 'execution', execution });
    return { ok: true, message: `Run #${execution.databaseId} queued` };
  };
  return html`<h1 class="visually-hidden">riftwatch dashboard</h1>
    ${state.error && html`<p class="banner error" role="alert">Could not update: ${state.error}</p>`}
    ${!state.loaded && !state.error && html`<p class="muted">Loading…</p>`}
    <div class="grid">
      <${JobsPanel}
        jobs=${state.jobs}
        schedulerEnabled=${state.schedulerEnabled}
        onTrigger=${onTrigger}
        now=${now}
      />
      <${ProgressPanel} progress=${state.progress} executions=${state.executions} />
      <${RateLimitsPanel} rateLimits=${state.rateLimits} now=${now} />
      <${ExecutionsPanel} executions=${state.executions} />
      <${TrackedPanel} players=${state.tracked} />
      <${FlaggedPanel} players=${state.flagged} />
    </div>`;
}
