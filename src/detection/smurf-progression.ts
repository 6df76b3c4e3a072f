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

function gamesBetween(ctx: PlayerContext, first: RankPoint, last: RankPoint): number {
  const counted = last.wins + last.losses - first.wins - first.losses;
  if (counted > 0) return counted;
  let games = 0;
  for (const g of ctx.games) {
    const t = g.sample.gameStart.getTime();
    if (t > first.at && t <= last.at) games++;
  }
  return games;
}

/**
 * Climb from the first snapshot to the highest one after it (divisions newly reached, points per
 * game over the whole span) and LP per win. Drops never subtract and never add.
 */
export function rankProgressionFactor(ctx: PlayerContext): FactorResult {
  const timeline = ctx.timeline;
  const first = timeline[0];
  const last = timeline.at(-1);
  if (!first || !last || timeline.length < 2)
    return smurfFactor('rankProgression', 0, `${timeline.length} rank snapshot(s): no progression`);
  const games = gamesBetween(ctx, first, last);
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
    `${promotions} division(s) climbed (${TIERS[first.tier]} → peak ${TIERS[peak.tier]}), ` +
      `${Math.round(climb)} LP over ${games} games (${perGame.toFixed(1)} per game${perWinText}); ` +
      'demotions not counted',
  );
}
