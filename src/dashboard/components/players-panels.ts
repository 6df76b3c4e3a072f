import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { dateTime, rank, score } from '../format.ts';
import { pure } from '../pure.ts';
import { playerHref } from '../route.ts';
import { TRACKED_PAGE_SIZE, type TrackedList } from '../state.ts';
import type { Analysis, PlayerName, PlayerSummary } from '../types.ts';
import { Empty } from './empty.ts';
import { TopFactors } from './factors.ts';

const summary = (a: Analysis) =>
  `smurf ${score(a.smurfScore)} (${a.smurfConfidence}) · boosted ${score(a.boostedScore)} · ${dateTime(a.createdAt)}`;

const nameOf = (p: PlayerName) => p.riotId ?? `${p.puuid.slice(0, 12)}…`;

const count = new Intl.NumberFormat();

type ShowMoreProps = {
  list: TrackedList;
  showMore: (after: string) => Promise<unknown>;
  /** Called once the page read is shown, with the number of players shown before it. */
  onShown: (from: number) => void;
};

/** "Show more": reads the next page; says so when that fails, and may be pressed again. */
function ShowMore(props: ShowMoreProps) {
  const { list } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = list.next;
  const more = async () => {
    if (busy || next === null) return;
    setBusy(true);
    setError(null);
    try {
      const from = list.players.length;
      await props.showMore(next);
      props.onShown(from);
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

/**
 * Keyboard focus goes to the first player a "Show more" added: the button it was on may be gone
 * (the last page), which would drop it to the page's start. Left alone when the operator has
 * moved it elsewhere meanwhile.
 */
function useFocusFirstAdded() {
  const rows = useRef<HTMLTableSectionElement>(null);
  const [from, setFrom] = useState<number | null>(null);
  // The page is drawn by then: it was in the state before `from` was set.
  useEffect(() => {
    if (from === null) return;
    setFrom(null);
    const first = rows.current?.querySelectorAll<HTMLAnchorElement>('a[data-puuid]')[from];
    const foot = rows.current?.closest('section')?.querySelector('.list-foot');
    const active = document.activeElement;
    if (first && (active === null || active === document.body || foot?.contains(active)))
      first.focus();
  }, [from]);
  return { rows, shownFrom: setFrom };
}

/** The tracked players, a page at a time (there may be thousands), in PUUID order. */
function Tracked({ tracked, loaded, showMore }: TrackedProps) {
  const { players } = tracked;
  const { rows, shownFrom } = useFocusFirstAdded();
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
          <tbody ref=${rows}>
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
        ${
          tracked.total > players.length &&
          html`<${ShowMore} list=${tracked} showMore=${showMore} onShown=${shownFrom} />`
        }`
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
