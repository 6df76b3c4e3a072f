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

function storedGamesBetween(ctx: PlayerContext, from: number, to: number): number {
  let games = 0;
  for (const g of ctx.games) {
    const t = g.sample.gameStart.getTime();
    if (t > from && t <= to) games++;
  }
  return games;
}

/**
 * Games played over the timeline, interval by interval: the growth of wins plus losses, or across
 * a ladder reset, the stored games in the interval (at least the new season's record). The
 * stored games are only the newest few, so they never stand in for a whole span's record.
 */
function gamesBetween(ctx: PlayerContext, timeline: readonly RankPoint[]): number {
  let games = 0;
  for (let i = 1; i < timeline.length; i++) {
    const a = timeline[i - 1] as RankPoint;
    const b = timeline[i] as RankPoint;
    games += isReset(a, b)
      ? Math.max(storedGamesBetween(ctx, a.at, b.at), b.wins + b.losses)
      : b.wins + b.losses - a.wins - a.losses;
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
  if (!first || timeline.length < 2)
    return smurfFactor('rankProgression', 0, `${timeline.length} rank snapshot(s): no progression`);
  const games = gamesBetween(ctx, timeline);
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
