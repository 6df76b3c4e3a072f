import { html } from 'htm/preact';
import { dateTime, rank, score } from '../format.ts';
import { playerHref } from '../route.ts';
import type { Analysis, PlayerSummary } from '../types.ts';
import { TopFactors } from './factors.ts';

const summary = (a: Analysis) =>
  `smurf ${score(a.smurfScore)} (${a.smurfConfidence}) · boosted ${score(a.boostedScore)} · ${dateTime(a.createdAt)}`;

const nameOf = (p: PlayerSummary) => p.riotId ?? `${p.puuid.slice(0, 12)}…`;

export function TrackedPanel({ players }: { players: PlayerSummary[] }) {
  return html`<section class="panel" aria-labelledby="tracked-title">
    <h2 id="tracked-title">Tracked players</h2>
    ${
      players.length === 0
        ? html`<p class="muted">Nobody is tracked.</p>`
        : html`<table>
          <thead>
            <tr>
              <th scope="col">Player</th>
              <th scope="col">Rank</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            ${players.map(
              (p) => html`<tr key=${p.puuid}>
                <th scope="row">
                  <a href=${playerHref(p.puuid)} data-puuid=${p.puuid}>${nameOf(p)}</a>
                  <div class="sub">${p.platform}${p.isFlagged ? ' · flagged' : ''}</div>
                </th>
                <td>${rank(p.rank)}</td>
                <td>${dateTime(p.lastUpdated)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}

/** Flagged players, latest analysis first, each with the factors that weigh most. */
export function FlaggedPanel({ players }: { players: PlayerSummary[] }) {
  return html`<section class="panel" aria-labelledby="flagged-title">
    <h2 id="flagged-title">Recently flagged players</h2>
    ${
      players.length === 0
        ? html`<p class="muted">No player is flagged yet: the analyzer looks at the players met in tracked games after each update.</p>`
        : html`<ul class="bare flagged">
          ${players.map((p) => {
            const analysis = p.analyses[0];
            return html`<li key=${p.puuid}>
              <div class="flagged-head">
                <a href=${playerHref(p.puuid)}>${nameOf(p)}</a>
                <span class="sub">${p.platform}</span>
                ${analysis && html`<span class="sub">${summary(analysis)}</span>`}
              </div>
              ${analysis && html`<${TopFactors} analysis=${analysis} />`}
            </li>`;
          })}
        </ul>`
    }
  </section>`;
}
