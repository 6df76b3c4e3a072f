import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { dateTime, rank, score } from '../format.ts';
import { pure } from '../pure.ts';
import { playerHref } from '../route.ts';
import { TRACKED_PAGE_SIZE, type TrackedList } from '../state.ts';
import type { Analysis, PlayerRow, PlayerSummary } from '../types.ts';
import { Empty } from './empty.ts';
import { TopFactors } from './factors.ts';

const summary = (a: Analysis) =>
  `smurf ${score(a.smurfScore)} (${a.smurfConfidence}) · boosted ${score(a.boostedScore)} · ${dateTime(a.createdAt)}`;

const nameOf = (p: PlayerRow) => p.riotId ?? `${p.puuid.slice(0, 12)}…`;

const count = new Intl.NumberFormat();

/** "Show more": reads the next page; says so when that fails, and may be pressed again. */
function ShowMore(props: { list: TrackedList; showMore: (after: string) => Promise<unknown> }) {
  const { list } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = list.next;
  const more = async () => {
    if (busy || next === null) return;
    setBusy(true);
    setError(null);
    try {
      await props.showMore(next);
    } catch (failure) {
      setError(`Could not read more players: ${(failure as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const left = Math.min(TRACKED_PAGE_SIZE, list.total - list.players.length);
  return html`<div class="list-foot">
    <span class="sub" role="status">
      ${`Showing ${count.format(list.players.length)} of ${count.format(list.total)}`}
    </span>
    ${
      next !== null &&
      html`<button type="button" onClick=${more} aria-disabled=${busy ? 'true' : undefined}>
        ${busy ? 'Reading…' : `Show ${left > 0 ? `${left} ` : ''}more`}
      </button>`
    }
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </div>`;
}

type TrackedProps = {
  tracked: TrackedList;
  loaded: boolean;
  showMore: (after: string) => Promise<unknown>;
};

/** The tracked players, a page at a time (there may be thousands), in PUUID order. */
function Tracked({ tracked, loaded, showMore }: TrackedProps) {
  const { players } = tracked;
  return html`<section class="panel" aria-labelledby="tracked-title">
    <h2 id="tracked-title">
      Tracked players${loaded && html` <span class="sub">(${count.format(tracked.total)})</span>`}
    </h2>
    ${
      players.length === 0
        ? html`<${Empty} loaded=${loaded}>Nobody is tracked.</${Empty}>`
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
                <th scope="row" class="long-text">
                  <a href=${playerHref(p.puuid)} data-puuid=${p.puuid}>${nameOf(p)}</a>
                  <div class="sub">${p.platform}${p.isFlagged ? ' · flagged' : ''}</div>
                </th>
                <td>${rank(p.rank)}</td>
                <td>${dateTime(p.lastUpdated)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        ${tracked.total > players.length && html`<${ShowMore} list=${tracked} showMore=${showMore} />`}`
    }
  </section>`;
}

export const TrackedPanel = pure(Tracked);

/** Flagged players, latest analysis first, each with the factors that weigh most. */
function Flagged({ players, loaded }: { players: PlayerSummary[]; loaded: boolean }) {
  return html`<section class="panel" aria-labelledby="flagged-title">
    <h2 id="flagged-title">Recently flagged players</h2>
    ${
      players.length === 0
        ? html`<${Empty} loaded=${loaded}>No player is flagged yet: the analyzer looks at the players met in tracked games after each update.</${Empty}>`
        : html`<ul class="bare flagged">
          ${players.map((p) => {
            const analysis = p.analyses[0];
            return html`<li key=${p.puuid}>
              <div class="flagged-head">
                <a href=${playerHref(p.puuid)} class="long-text">${nameOf(p)}</a>
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

export const FlaggedPanel = pure(Flagged);
