import { html } from 'htm/preact';
import { pure } from '../pure.ts';
import type { Execution, Progress } from '../types.ts';
import { Empty } from './empty.ts';

function Bar({ progress, run }: { progress: Progress; run: Execution | undefined }) {
  const id = `progress-${progress.executionId}`;
  const known = progress.total !== null && progress.total > 0;
  const name = run ? `${run.jobName} #${run.databaseId}` : progress.jobType;
  const attributes = {
    id,
    'data-execution': run?.databaseId,
    'data-processed': progress.processed,
  };
  return html`<li class="progress-item">
    <label for=${id}>
      <span>${name}</span>
      <span class="sub">${progress.status === 'pending' ? 'queued' : (progress.phase ?? 'starting')}</span>
    </label>
    ${
      known
        ? html`<progress ...${attributes} max=${progress.total} value=${progress.processed}></progress>`
        : html`<progress ...${attributes}></progress>`
    }
    <span class="count">${known ? `${progress.processed} / ${progress.total}` : ''}</span>
  </li>`;
}

/** One progress bar per execution queued or running, fed by the jobProgress subscription. */
function ProgressList(props: { progress: Progress[]; executions: Execution[]; loaded: boolean }) {
  return html`<section class="panel" aria-labelledby="running-title">
    <h2 id="running-title">Running now</h2>
    ${
      props.progress.length === 0
        ? html`<${Empty} loaded=${props.loaded}>Nothing is running.</${Empty}>`
        : html`<ul class="bare">
          ${props.progress.map(
            (p) => html`<${Bar}
              key=${p.executionId}
              progress=${p}
              run=${props.executions.find((e) => e.id === p.executionId)}
            />`,
          )}
        </ul>`
    }
  </section>`;
}

export const ProgressPanel = pure(ProgressList);
