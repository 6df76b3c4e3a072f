import type { PlayerContext } from './context.ts';
import { smurfFactor } from './factor.ts';
import { clamp, ramp } from './math.ts';
import type { FactorResult } from './types.ts';

const YOUNG_LEVEL = 35;
const SEASONED_LEVEL = 110;

/** 1 at YOUNG_LEVEL (just past the ranked minimum of 30) or below, 0 from SEASONED_LEVEL, linear between. */
export function accountLevelScore(level: number): number {
  const span = SEASONED_LEVEL - YOUNG_LEVEL;
  return (SEASONED_LEVEL - clamp(level, YOUNG_LEVEL, SEASONED_LEVEL)) / span;
}

export function accountLevelFactor(ctx: PlayerContext): FactorResult {
  let level = ctx.input.summonerLevel;
  for (let i = ctx.games.length - 1; level === null && i >= 0; i--)
    level = ctx.games[i]?.sample.summonerLevel ?? null;
  if (level === null) return smurfFactor('accountLevel', 0, 'Account level unknown');
  return smurfFactor(
    'accountLevel',
    accountLevelScore(level),
    `Account level ${level} (level ${YOUNG_LEVEL} or below scores fully, ${SEASONED_LEVEL} or ` +
      'more not at all)',
  );
}

type Tally = { games: number; strong: number };

function countStrong(tallies: Map<unknown, Tally>): number {
  let n = 0;
  for (const t of tallies.values()) if (t.strong * 2 > t.games) n++;
  return n;
}

function tally(map: Map<unknown, Tally>, key: unknown, strong: boolean): void {
  const t = map.get(key);
  if (t) {
    t.games++;
    if (strong) t.strong++;
  } else map.set(key, { games: 1, strong: strong ? 1 : 0 });
}

/**
 * Playing many champions and roles is common; playing them well is what a skilled player on a
 * new account does. Counts champions and roles on which most games were at or above the tier.
 */
export function versatilityFactor(ctx: PlayerContext): FactorResult {
  const champions = new Map<unknown, Tally>();
  const roles = new Map<unknown, Tally>();
  for (const g of ctx.games) {
    tally(champions, g.sample.championId, g.strong);
    if (g.sample.position) tally(roles, g.sample.position, g.strong);
  }
  const strongChampions = countStrong(champions);
  const strongRoles = countStrong(roles);
  return smurfFactor(
    'versatility',
    0.7 * ramp(strongChampions, 2, 7) + 0.3 * ramp(strongRoles, 1, 4),
    `${champions.size} champions over ${roles.size} roles; at or above the tier in most games on ` +
      `${strongChampions} champions and ${strongRoles} roles`,
  );
}
