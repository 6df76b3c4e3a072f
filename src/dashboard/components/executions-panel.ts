import { html } from 'htm/preact';
import { dateTime, duration } from '../format.ts';
import { pure } from '../pure.ts';
import type { Execution } from '../types.ts';
import { Empty } from './empty.ts';
import { StatusBadge } from './status-badge.ts';

function Executions({ executions, loaded }: { executions: Execution[]; loaded: boolean }) {
  return html`<section class="panel wide" aria-labelledby="executions-title">
    <h2 id="executions-title">Executions</h2>
    ${
      executions.length === 0
        ? html`<${Empty} loaded=${loaded}>No execution yet.</${Empty}>`
        : html`<table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col" class="num">Duration</th>
              <th scope="col" class="num">Requests</th>
              <th scope="col" class="num">Records (new / updated)</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            ${executions.map(
              (e) => html`<tr key=${e.id} data-execution=${e.databaseId} data-status=${e.status}>
                <th scope="row">#${e.databaseId}<div class="sub">${e.trigger}</div></th>
                <td>${e.jobName}</td>
                <td><${StatusBadge} status=${e.status} /></td>
                <td>${dateTime(e.startedAt ?? e.createdAt)}</td>
                <td class="num">${duration(e.durationSeconds)}</td>
                <td class="num">${e.apiRequestsMade}</td>
                <td class="num">${e.recordsCreated} / ${e.recordsUpdated}</td>
                <td class="error">
                  ${e.errorMessage && html`<div class="long-text clipped">${e.errorMessage}</div>`}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}

export const ExecutionsPanel = pure(Executions);
