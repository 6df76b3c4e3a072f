import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { dateTime, duration, QUEUES, rank, score } from '../format.ts';
import type { Api } from '../graphql.ts';
import type { PlayerDetail } from '../types.ts';
import { usePlayer } from '../use-player.ts';
import { FactorTable } from './factors.ts';

function RankHistory({ player }: { player: PlayerDetail }) {
  if (player.rankHistory.length === 0) return html`<p class="muted">No rank recorded yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Recorded</th>
        <th scope="col">Queue</th>
        <th scope="col">Rank</th>
        <th scope="col" class="num">Wins / losses</th>
      </tr>
    </thead>
    <tbody>
      ${player.rankHistory.map(
        (r) => html`<tr key=${r.capturedAt + r.queueType}>
          <th scope="row">${dateTime(r.capturedAt)}</th>
          <td>${r.queueType}</td>
          <td>${rank(r)}</td>
          <td class="num">${r.wins} / ${r.losses}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Matches({ player }: { player: PlayerDetail }) {
  const lines = player.matches.edges.map((e) => e.node);
  if (lines.length === 0) return html`<p class="muted">No match stored yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Played</th>
        <th scope="col">Champion</th>
        <th scope="col">Result</th>
        <th scope="col" class="num">K / D / A</th>
        <th scope="col" class="num">KDA</th>
        <th scope="col" class="num">CS</th>
        <th scope="col">Queue</th>
        <th scope="col" class="num">Length</th>
      </tr>
    </thead>
    <tbody>
      ${lines.map(
        (m) => html`<tr key=${m.match.matchId}>
          <th scope="row">${dateTime(m.match.gameStart)}</th>
          <td>${m.championName}<div class="sub">${m.teamPosition ?? ''}</div></td>
          <td><span class=${m.win ? 'win' : 'loss'}>${m.win ? 'Win' : 'Loss'}</span></td>
          <td class="num">${m.kills} / ${m.deaths} / ${m.assists}</td>
          <td class="num">${m.kda.toFixed(2)}</td>
          <td class="num">${m.creepScore}</td>
          <td>${QUEUES[m.match.queueId] ?? `Queue ${m.match.queueId}`}</td>
          <td class="num">${duration(m.match.durationSeconds)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Analyses({ player }: { player: PlayerDetail }) {
  if (player.analyses.length === 0) return html`<p class="muted">Not analysed yet.</p>`;
  return player.analyses.map(
    (a) => html`<article class="analysis" key=${a.createdAt}>
      <h3>
        ${dateTime(a.createdAt)} · ${a.isFlagged ? html`<span class="error">flagged</span>` : 'not flagged'}
      </h3>
      <p class="sub">
        ${`Smurf score ${score(a.smurfScore)} (${a.smurfConfidence}) · boosted score ${score(a.boostedScore)} · ${a.gamesAnalyzed} games analysed`}
      </p>
      <${FactorTable} analysis=${a} />
    </article>`,
  );
}

const BACK = html`<p><a href="#/">← Overview</a></p>`;

export function PlayerPage({ api, puuid }: { api: Api; puuid: string }) {
  const result = usePlayer(api, puuid);
  const player = result.state === 'loaded' ? result.player : null;
  useEffect(() => {
    document.title = `${player?.riotId ?? 'Player'} · riftwatch`;
  }, [player?.riotId]);
  if (result.state === 'loading') return html`${BACK}<p class="muted">Loading the player…</p>`;
  if (result.state === 'missing') return html`${BACK}<p>riftwatch does not know this player.</p>`;
  if (result.state === 'failed')
    return html`${BACK}
      <p class="error long-text" role="alert">
        Could not read this player: ${result.error}
        ${result.retrying && html` <span class="sub">Trying again…</span>`}
      </p>`;
  if (!player) return null;
  return html`<div class="player-page">
    ${BACK}
    ${
      result.stale &&
      html`<p class="banner error long-text" role="alert">
        Could not read this player again: ${result.stale}. What is shown may be out of date.
        <span class="sub">Trying again…</span>
      </p>`
    }
    <h1 id="player-title" class="long-text">${player.riotId ?? 'Unknown Riot ID'}</h1>
    <p class="sub">
      ${`${player.platform} · level ${player.summonerLevel ?? '?'} · ${rank(player.rank)} · ${player.isTracked ? 'tracked' : 'not tracked'} · account ${player.accountStatus}`}
      ${player.isFlagged && html` · <span class="error">flagged</span>`}
    </p>
    <p class="sub mono">${player.puuid}</p>
    <div class="grid">
      <section class="panel" aria-labelledby="rank-title">
        <h2 id="rank-title">Rank history</h2>
        <${RankHistory} player=${player} />
      </section>
      <section class="panel wide" aria-labelledby="matches-title">
        <h2 id="matches-title">Recent matches</h2>
        <${Matches} player=${player} />
      </section>
      <section class="panel wide" aria-labelledby="analyses-title">
        <h2 id="analyses-title">Analyses</h2>
        <${Analyses} player=${player} />
      </section>
    </div>
  </div>`;
}
