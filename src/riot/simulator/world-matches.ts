import { CHAMPIONS, POSITIONS, type Position } from './ladder.ts';
import type { Random } from './random.ts';
import { riotIdAt, type SimPlayer } from './world-players.ts';

export type SimParticipant = {
  puuid: string;
  gameName: string;
  tagLine: string;
  summonerLevel: number;
  profileIcon: number;
  championId: number;
  championName: string;
  teamId: 100 | 200;
  position: Position;
  win: boolean;
  kills: number;
  deaths: number;
  assists: number;
  minions: number;
  neutral: number;
  gold: number;
  damage: number;
  vision: number;
  champLevel: number;
};

export type SimMatch = {
  matchId: string;
  gameId: number;
  platformId: string;
  queueId: number;
  gameCreation: number;
  gameStartTimestamp: number;
  gameEndTimestamp: number;
  durationSeconds: number;
  gameVersion: string;
  participants: SimParticipant[];
};

const championName = (id: number) => {
  for (const list of Object.values(CHAMPIONS))
    for (const [cid, name] of list) if (cid === id) return name;
  return 'Annie';
};

/** Units that queue together: a boosted player with their partner, or a solo player. */
function units(players: SimPlayer[]): SimPlayer[][] {
  const byPuuid = new Map(players.map((p) => [p.puuid, p]));
  const seen = new Set<string>();
  const out: SimPlayer[][] = [];
  for (const p of players) {
    if (seen.has(p.puuid)) continue;
    seen.add(p.puuid);
    const partner = p.duoPartner ? byPuuid.get(p.duoPartner) : undefined;
    if (partner && !seen.has(partner.puuid)) {
      seen.add(partner.puuid);
      out.push([p, partner]);
    } else out.push([p]);
  }
  return out;
}

/** Splits the active players of one time slot into lobbies of ten, matched by displayed rank. */
export function makeLobbies(random: Random, active: SimPlayer[]): SimPlayer[][] {
  const sorted = units(random.shuffle([...active])).sort(
    (a, b) =>
      a.reduce((s, p) => s + p.ladder, 0) / a.length -
      b.reduce((s, p) => s + p.ladder, 0) / b.length,
  );
  const lobbies: SimPlayer[][] = [];
  let current: SimPlayer[] = [];
  for (const unit of sorted) {
    if (current.length + unit.length > 10) continue;
    current.push(...unit);
    if (current.length === 10) {
      lobbies.push(current);
      current = [];
    }
  }
  return lobbies;
}

type Context = {
  random: Random;
  matchId: string;
  gameId: number;
  platformId: string;
  queueId: number;
  start: number;
  gameVersion: string;
};

export function playMatch(ctx: Context, lobby: SimPlayer[]): SimMatch {
  const { random } = ctx;
  // Duo partners sit on the same team; the rest is a snake draft by displayed rank.
  const blue: SimPlayer[] = [];
  const red: SimPlayer[] = [];
  for (const unit of units(lobby)) {
    const blueFits = blue.length + unit.length <= 5;
    const target =
      blueFits && (blue.length <= red.length || red.length + unit.length > 5) ? blue : red;
    target.push(...unit);
  }
  const strength = (team: SimPlayer[]) => team.reduce((s, p) => s + p.trueSkill, 0) / team.length;
  const diff = strength(blue) - strength(red);
  const blueWins = random.chance(1 / (1 + 10 ** (-diff / 250)));
  const durationSeconds = random.int(15 * 60, 36 * 60);
  const minutes = durationSeconds / 60;
  const lobbySkill = (strength(blue) + strength(red)) / 2;
  const participants: SimParticipant[] = [];
  for (const [teamId, team] of [
    [100, blue],
    [200, red],
  ] as const) {
    const taken = new Set<Position>();
    const win = teamId === 100 ? blueWins : !blueWins;
    for (const p of team) {
      const position = taken.has(p.mainPosition)
        ? (POSITIONS.find((x) => !taken.has(x)) ?? 'MIDDLE')
        : p.mainPosition;
      taken.add(position);
      const own = p.champions.filter((id) => CHAMPIONS[position].some(([cid]) => cid === id));
      const championId =
        own.length > 0 && random.chance(0.85)
          ? random.pick(own)
          : random.pick(CHAMPIONS[position])[0];
      const edge = (p.trueSkill - lobbySkill) / 400;
      const cspm = Math.max(
        1,
        (position === 'UTILITY' ? 1.2 : 4.5 + p.trueSkill / 650) + random.normal(0, 0.6),
      );
      const farm = Math.round(cspm * minutes);
      const jungle = position === 'JUNGLE';
      const kills = Math.max(0, Math.round(random.normal(4 + 2.5 * edge + (win ? 2 : 0), 2)));
      const deaths = Math.max(0, Math.round(random.normal(5.5 - 1.8 * edge - (win ? 1.5 : 0), 2)));
      participants.push({
        puuid: p.puuid,
        ...riotIdAt(p, ctx.start),
        summonerLevel: p.summonerLevel,
        profileIcon: p.profileIconId,
        championId,
        championName: championName(championId),
        teamId,
        position,
        win,
        kills,
        deaths,
        assists: Math.max(0, Math.round(random.normal(6 + 2 * edge + (win ? 3 : 0), 3))),
        minions: jungle ? Math.round(farm * 0.2) : farm,
        neutral: jungle ? Math.round(farm * 0.8) : random.int(0, 8),
        gold: Math.round(minutes * (300 + 40 * edge) + kills * 300),
        damage: Math.round(minutes * (700 + 250 * edge) * (position === 'UTILITY' ? 0.5 : 1)),
        vision: Math.round(minutes * (position === 'UTILITY' ? 2.2 : 0.8) + random.int(0, 10)),
        champLevel: Math.min(18, Math.round(8 + minutes / 3 + edge)),
      });
    }
  }
  return {
    matchId: ctx.matchId,
    gameId: ctx.gameId,
    platformId: ctx.platformId,
    queueId: ctx.queueId,
    gameCreation: ctx.start - random.int(20, 90) * 1000,
    gameStartTimestamp: ctx.start,
    gameEndTimestamp: ctx.start + durationSeconds * 1000 + random.int(5000, 20000),
    durationSeconds,
    gameVersion: ctx.gameVersion,
    participants,
  };
}

/** LP and level after a game; smurfs' high hidden MMR makes them climb fast. */
export function applyResult(p: SimPlayer, win: boolean, ranked: boolean, random: Random): void {
  p.summonerLevel += random.chance(0.4) ? 1 : 0;
  if (!ranked) return;
  if (win) p.wins++;
  else p.losses++;
  const mmrGap = (p.trueSkill - p.ladder) / 400;
  const gain = Math.round(Math.min(45, Math.max(12, 21 + 6 * mmrGap)));
  const loss = Math.round(Math.min(30, Math.max(10, 19 - 4 * mmrGap)));
  p.ladder = Math.max(0, p.ladder + (win ? gain : -loss));
}
