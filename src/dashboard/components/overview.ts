import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type TokenPrompt, triggerJob } from '../admin.ts';
import type { Api } from '../graphql.ts';
import { failureOf } from '../state.ts';
import { useOverview } from '../use-overview.ts';
import { ExecutionsPanel } from './executions-panel.ts';
import { JobsPanel, type TriggerJob } from './jobs-panel.ts';
import { FlaggedPanel, TrackedPanel } from './players-panels.ts';
import { ProgressPanel } from './progress-panel.ts';
import { RateLimitsPanel } from './rate-limits-panel.ts';

/**
 * How many times the socket came back after a disconnect: the server can be reached again (a
 * subscription made again over a socket that stayed up says nothing of that).
 */
function useReconnects(api: Api): number {
  const [reconnects, setReconnects] = useState(0);
  useEffect(() => api.onReconnect(() => setReconnects((n) => n + 1)), [api]);
  return reconnects;
}

export function Overview({ api, prompt }: { api: Api; prompt: TokenPrompt }) {
  const { state, dispatch, showMore } = useOverview(api);
  const reconnects = useReconnects(api);
  useEffect(() => {
    document.title = 'riftwatch';
  }, []);
  const onTrigger: TriggerJob = useCallback(
    async (job) => {
      const execution = await triggerJob(api, job.id, prompt.ask);
      if (!execution) return { kind: 'refused', message: 'Not triggered: no admin token given.' };
      dispatch({ type: 'execution', execution });
      return { kind: 'triggered', message: `Run #${execution.databaseId} triggered` };
    },
    [api, prompt, dispatch],
  );
  const failure = failureOf(state);
  const { loaded } = state;
  return html`<h1 class="visually-hidden">riftwatch dashboard</h1>
    ${
      failure &&
      html`<p class="banner error" role="alert">
        Could not update: ${failure} <span class="sub">Trying again…</span>
      </p>`
    }
    ${!loaded && !failure && html`<p class="muted">Loading…</p>`}
    <div class="grid">
      <${JobsPanel}
        jobs=${state.jobs}
        loaded=${loaded}
        schedulerEnabled=${state.schedulerEnabled}
        onTrigger=${onTrigger}
        reconnects=${reconnects}
      />
      <${ProgressPanel} progress=${state.progress} executions=${state.executions} loaded=${loaded} />
      <${RateLimitsPanel} rateLimits=${state.rateLimits} loaded=${loaded} />
      <${ExecutionsPanel} executions=${state.executions} loaded=${loaded} />
      <${TrackedPanel} tracked=${state.tracked} loaded=${loaded} showMore=${showMore} />
      <${FlaggedPanel} players=${state.flagged} loaded=${loaded} />
    </div>`;
}
