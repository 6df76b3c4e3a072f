import { html } from 'htm/preact';
import { dateTime, duration } from '../format.ts';
import type { Execution } from '../types.ts';
import { StatusBadge } from './status-badge.ts';

export function ExecutionsPanel({ executions }: { executions: Execution[] }) {
  return html`<section class="panel wide" aria-labelledby="executions-title">
    <h2 id="executions-title">Executions</h2>
    ${
      executions.length === 0
        ? html`<p class="muted">No execution yet.</p>`
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
                <td class="error">${e.errorMessage ?? ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}
