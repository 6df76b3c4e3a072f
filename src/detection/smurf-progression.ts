import type { PlayerContext } from './context.ts';
import { smurfFactor } from './factor.ts';
import { ramp } from './math.ts';
import { divisionStep, type RankPoint } from './rank.ts';
import { type FactorResult, TIERS } from './types.ts';

const MIN_GAMES = 3;
const MIN_WINS_FOR_GAIN = 3;

/**
 * Average LP gained per win, from snapshot intervals holding only wins. Riot gives more LP per win
 * when the hidden rating is above the displayed rank, so large gains mark an under-ranked account.
 */
export function lpPerWin(timeline: readonly RankPoint[]): number | null {
  let wins = 0;
  let gained = 0;
  for (let i = 1; i < timeline.length; i++) {
    const a = timeline[i - 1] as RankPoint;
    const b = timeline[i] as RankPoint;
    if (b.losses !== a.losses || b.wins <= a.wins) continue;
    wins += b.wins - a.wins;
    gained += b.points - a.points;
  }
  return wins >= MIN_WINS_FOR_GAIN ? gained / wins : null;
}

/** Wins and losses only grow within a season (or split): where either fell, the ladder was reset. */
function isReset(a: RankPoint, b: RankPoint): boolean {
  return b.wins < a.wins || b.losses < a.losses;
}

/** The snapshots since the last ladder reset: a rank held before it says nothing of this season's climb. */
function currentSeason(timeline: readonly RankPoint[]): readonly RankPoint[] {
  let start = 0;
  for (let i = 1; i < timeline.length; i++)
    if (isReset(timeline[i - 1] as RankPoint, timeline[i] as RankPoint)) start = i;
  return timeline.slice(start);
}

/** Games played over a season's snapshots: the growth of wins plus losses. */
function gamesBetween(season: readonly RankPoint[]): number {
  const first = season[0];
  const last = season[season.length - 1];
  return first && last ? last.wins + last.losses - first.wins - first.losses : 0;
}

/**
 * Climb this season, from its first snapshot to the highest one after it (divisions newly
 * reached, points per game over the span), and LP per win. Drops never subtract and never add.
 */
export function rankProgressionFactor(ctx: PlayerContext): FactorResult {
  const timeline = currentSeason(ctx.timeline);
  const first = timeline[0];
  if (!first || timeline.length < 2)
    return smurfFactor(
      'rankProgression',
      0,
      `${timeline.length} rank snapshot(s) this season: no progression`,
    );
  const games = gamesBetween(timeline);
  if (games < MIN_GAMES)
    return smurfFactor('rankProgression', 0, `Only ${games} games between rank snapshots`);
  let peak: RankPoint = first;
  for (const p of timeline) if (p.points > peak.points) peak = p;
  const climb = peak.points - first.points;
  const promotions = divisionStep(peak.points, peak.tier) - divisionStep(first.points, first.tier);
  const perGame = climb / games;
  const perWin = lpPerWin(timeline);
  const parts = [ramp(promotions, 1, 6), ramp(perGame, 5, 25)];
  if (perWin !== null) parts.push(ramp(perWin, 25, 45));
  const perWinText = perWin === null ? '' : `, ${Math.round(perWin)} LP per win`;
  return smurfFactor(
    'rankProgression',
    parts.reduce((a, b) => a + b, 0) / parts.length,
    `${promotions} division(s) climbed this season (${TIERS[first.tier]} → peak ${TIERS[peak.tier]}), ` +
      `${Math.round(climb)} LP over ${games} games (${perGame.toFixed(1)} per game${perWinText}); ` +
      'demotions not counted',
  );
}
