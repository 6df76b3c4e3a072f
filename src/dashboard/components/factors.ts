import { html } from 'htm/preact';
import { score } from '../format.ts';
import type { Analysis, Factor } from '../types.ts';

type Kind = 'smurf' | 'boosted';
type Weighed = Factor & { kind: Kind; contribution: number };

/** Both kinds' factors, the ones weighing most on the scores first. */
export function weighedFactors(analysis: Analysis): Weighed[] {
  const tag = (kind: Kind) => (f: Factor) => ({
    ...f,
    kind,
    contribution: (f.score ?? 0) * (f.weight ?? 1),
  });
  return [
    ...analysis.smurfFactors.map(tag('smurf')),
    ...analysis.boostedFactors.map(tag('boosted')),
  ]
    .filter((f) => f.score !== null)
    .sort((a, b) => b.contribution - a.contribution);
}

/** The few factors that explain a flag, in words. */
export function TopFactors({ analysis, limit = 3 }: { analysis: Analysis; limit?: number }) {
  const top = weighedFactors(analysis).slice(0, limit);
  if (top.length === 0) return html`<p class="muted">No factor explanation recorded.</p>`;
  return html`<ul class="factors">
    ${top.map(
      (f) => html`<li key=${`${f.kind}-${f.name}`}>
        <strong>${f.name}</strong> <span class="sub">(${f.kind}, ${score(f.score)})</span>
        ${f.explanation && html`: ${f.explanation}`}
      </li>`,
    )}
  </ul>`;
}

/** Every factor of an analysis, as a table. */
export function FactorTable({ analysis }: { analysis: Analysis }) {
  const factors = weighedFactors(analysis);
  if (factors.length === 0) return html`<p class="muted">No factors recorded.</p>`;
  return html`<table class="factor-table">
    <thead>
      <tr>
        <th scope="col">Factor</th>
        <th scope="col">Kind</th>
        <th scope="col" class="num">Score</th>
        <th scope="col" class="num">Weight</th>
        <th scope="col">Explanation</th>
      </tr>
    </thead>
    <tbody>
      ${factors.map(
        (f) => html`<tr key=${`${f.kind}-${f.name}`}>
          <th scope="row">${f.name}</th>
          <td>${f.kind}</td>
          <td class="num">${score(f.score)}</td>
          <td class="num">${score(f.weight)}</td>
          <td>${f.explanation ?? ''}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
