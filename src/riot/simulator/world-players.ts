import type { Platform } from '../routing.ts';
import { CHAMPIONS, POSITIONS, type Position } from './ladder.ts';
import { makePuuid, type Random } from './random.ts';

export const PLAYER_KINDS = ['normal', 'smurf', 'boosted', 'booster'] as const;
export type PlayerKind = (typeof PLAYER_KINDS)[number];

export type SimPlayer = {
  puuid: string;
  platform: Platform;
  gameName: string;
  tagLine: string;
  kind: PlayerKind;
  /** Hidden skill on the ladder's scale (what the player would deserve). */
  trueSkill: number;
  /** Displayed rank on the ladder's scale; moves with ranked wins and losses. */
  ladder: number;
  summonerLevel: number;
  profileIconId: number;
  wins: number;
  losses: number;
  mainPosition: Position;
  champions: number[];
  duoPartner: string | null;
  /** Simulated epoch ms of a rename, with the new name; null when the player keeps their name. */
  rename: { at: number; gameName: string; tagLine: string } | null;
  /** Account deleted (account-v1 and summoner-v4 404) from this time on. */
  deletedAt: number | null;
  /** Account kept but no League profile any more (summoner-v4 404) from this time on. */
  leftLolAt: number | null;
  revisionDate: number;
};

const UNICODE_NAMES = [
  'Ünïcörn',
  '김치맨',
  'Déjà Vu',
  'ミッドの神',
  'Łucznik',
  'Ñoño',
  'Ζέφυρος',
  'Пельмень',
  '蒼天',
  'Ærø',
  'Façade',
  'İstanbul',
  'Jäger',
];
const SYLLABLES = [
  'ka',
  'zen',
  'rio',
  'mo',
  'vex',
  'lu',
  'dra',
  'shi',
  'ko',
  'tan',
  'el',
  'mir',
  'qu',
  'sol',
  'bri',
];
const TAGS: Record<string, readonly string[]> = {
  euw1: ['EUW', 'EUW1', '0420', 'fr1'],
  eun1: ['EUNE', 'pl1', '1337'],
  na1: ['NA1', 'NA', 'gg1'],
  kr: ['KR1', '0001', '한국'],
  oc1: ['OCE', 'AUS', '2025'],
};

function makeName(random: Random, unicode: boolean): string {
  if (unicode)
    return `${random.pick(UNICODE_NAMES)}${random.chance(0.5) ? ` ${random.int(1, 99)}` : ''}`;
  const n = random.int(2, 3);
  let name = '';
  for (let i = 0; i < n; i++) name += random.pick(SYLLABLES);
  return (
    name.charAt(0).toUpperCase() +
    name.slice(1) +
    (random.chance(0.3) ? String(random.int(1, 999)) : '')
  );
}

export const riotIdKey = (gameName: string, tagLine: string) =>
  `${gameName.normalize('NFC').toLowerCase()}#${tagLine.normalize('NFC').toLowerCase()}`;

/**
 * `name`, or while someone has it with this tag another one (Riot IDs are unique); `taken` spans
 * every platform. The first choice is drawn outside so a world without clashes stays as it was.
 */
function uniqueName(
  random: Random,
  name: string,
  unicode: boolean,
  tagLine: string,
  taken: Set<string>,
): string {
  let candidate = name;
  // The unicode names are few: past a few clashes, draw from the syllables.
  for (let attempt = 0; taken.has(riotIdKey(candidate, tagLine)); attempt++) {
    candidate = makeName(random, unicode && attempt < 4);
  }
  taken.add(riotIdKey(candidate, tagLine));
  return candidate;
}

function championPool(random: Random, main: Position, versatile: boolean): number[] {
  const positions = versatile ? POSITIONS : [main];
  const pool = new Set<number>();
  const size = versatile ? random.int(8, 12) : random.int(2, 4);
  while (pool.size < size) pool.add(random.pick(CHAMPIONS[random.pick(positions)])[0]);
  return [...pool];
}

export type PlayerPlan = { presentMs: number; slotMs: number; historySlots: number };

/** Builds one platform's population: mostly honest players, some smurfs, boosted duos. */
export function generatePlayers(
  random: Random,
  platform: Platform,
  count: number,
  plan: PlayerPlan,
  /** Riot IDs already given (on any platform, old and new names): filled as names are made. */
  taken: Set<string> = new Set(),
): SimPlayer[] {
  const players: SimPlayer[] = [];
  const base = (kind: PlayerKind, trueSkill: number, ladder: number, level: number): SimPlayer => {
    const main = random.pick(POSITIONS);
    const puuid = makePuuid(random);
    const unicode = random.chance(0.25);
    const name = makeName(random, unicode);
    const tagLine = random.pick(TAGS[platform] ?? ['0001']);
    const gameName = uniqueName(random, name, unicode, tagLine, taken);
    return {
      puuid,
      platform,
      gameName,
      tagLine,
      kind,
      trueSkill,
      ladder,
      summonerLevel: level,
      profileIconId: random.int(1, 6000),
      wins: 0,
      losses: 0,
      mainPosition: main,
      champions: championPool(random, main, kind === 'smurf'),
      duoPartner: null,
      rename: null,
      deletedAt: null,
      leftLolAt: null,
      revisionDate: plan.presentMs - random.int(0, 10) * 86_400_000,
    };
  };
  while (players.length < count) {
    const roll = random.next();
    if (roll < 0.12) {
      const skill = random.int(2300, 3100);
      players.push(base('smurf', skill, random.int(300, 1100), random.int(30, 45)));
    } else if (roll < 0.2 && players.length + 2 <= count) {
      const boosted = base(
        'boosted',
        random.int(500, 1000),
        random.int(1900, 2500),
        random.int(60, 200),
      );
      const booster = base(
        'booster',
        random.int(2800, 3200),
        random.int(1900, 2500),
        random.int(150, 500),
      );
      boosted.duoPartner = booster.puuid;
      booster.duoPartner = boosted.puuid;
      players.push(boosted, booster);
    } else {
      const skill = Math.max(0, Math.round(random.normal(1400, 550)));
      players.push(
        base('normal', skill, Math.max(0, skill + random.int(-150, 150)), random.int(40, 600)),
      );
    }
  }
  const future = (lo: number, hi: number) => plan.presentMs + random.int(lo, hi) * plan.slotMs;
  for (const p of players) {
    const roll = random.next();
    if (roll < 0.06) {
      // Some renamed in the past (old matches show the old name), some will rename later.
      const at = random.chance(0.5)
        ? plan.presentMs - random.int(1, plan.historySlots) * plan.slotMs
        : future(2, 40);
      const unicode = random.chance(0.3);
      const gameName = uniqueName(random, makeName(random, unicode), unicode, p.tagLine, taken);
      p.rename = { at, gameName, tagLine: p.tagLine };
    } else if (roll < 0.09 && p.kind !== 'booster' && p.kind !== 'boosted') {
      p.deletedAt = future(3, 60);
    } else if (roll < 0.11 && p.kind !== 'booster' && p.kind !== 'boosted') {
      p.leftLolAt = future(3, 60);
    }
  }
  return players;
}

export function riotIdAt(p: SimPlayer, at: number): { gameName: string; tagLine: string } {
  return p.rename && p.rename.at <= at ? p.rename : { gameName: p.gameName, tagLine: p.tagLine };
}
