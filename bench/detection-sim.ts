/**
 * Simulated players as detection inputs, straight from the simulator's world generator (no HTTP,
 * no database): rank snapshots are taken after every round, as a tracker polling League would.
 */
import type { GameSample, PlayerInput, RankSnapshotSample } from '../src/detection/index.ts';
import { rankOf } from '../src/riot/simulator/ladder.ts';
import { createWorld } from '../src/riot/simulator/world.ts';
import type { SimMatch } from '../src/riot/simulator/world-matches.ts';
import type { PlayerKind } from '../src/riot/simulator/world-players.ts';

export type LabelledInput = { input: PlayerInput; kind: PlayerKind };

function gameOf(match: SimMatch, puuid: string): GameSample | null {
  const me = match.participants.find((p) => p.puuid === puuid);
  if (!me) return null;
  const team = match.participants.filter((p) => p.teamId === me.teamId);
  const teamKills = team.reduce((sum, p) => sum + p.kills, 0);
  return {
    gameStart: new Date(match.gameStartTimestamp),
    queueId: match.queueId,
    durationSeconds: match.durationSeconds,
    win: me.win,
    kills: me.kills,
    deaths: me.deaths,
    assists: me.assists,
    cs: me.minions + me.neutral,
    visionScore: me.vision,
    killParticipation: teamKills ? (me.kills + me.assists) / teamKills : null,
    championId: me.championId,
    position: me.position,
    remake: false,
    earlySurrender: false,
    summonerLevel: me.summonerLevel,
    teammates: team.filter((p) => p.puuid !== puuid).map((p) => p.puuid),
  };
}

/** Plays `rounds` rounds of a fresh world and returns every player with their label. */
export function simulatePlayers(seed: number, playersPerPlatform: number, rounds: number) {
  const presentMs = Date.UTC(2026, 0, 1);
  const world = createWorld(
    { seed, playersPerPlatform, historySlots: 0, presentMs, speed: 1 },
    () => 0,
  );
  const players = world.players();
  const snapshots = new Map<string, RankSnapshotSample[]>(players.map((p) => [p.puuid, []]));
  for (let round = 0; round < rounds; round++) {
    world.advance(world.slotMs);
    const at = new Date(world.now());
    for (const p of players) {
      const entry = world.leagueEntries(p.platform, p.puuid)[0];
      if (!entry) continue;
      const list = snapshots.get(p.puuid) as RankSnapshotSample[];
      const last = list.at(-1);
      const { tier, rank, leaguePoints, wins, losses } = entry;
      if (last && last.wins === wins && last.losses === losses) continue;
      list.push({ capturedAt: at, tier, rank, leaguePoints, wins, losses });
    }
  }
  return players.map((p): LabelledInput => {
    const games = (world.matchIds(p.puuid) ?? [])
      .map((m) => gameOf(m, p.puuid))
      .filter((g): g is GameSample => g !== null);
    const ranked = p.wins + p.losses > 0;
    const rank = rankOf(p.ladder);
    return {
      kind: p.kind,
      input: {
        puuid: p.puuid,
        summonerLevel: p.summonerLevel,
        currentTier: ranked ? rank.tier : null,
        games,
        snapshots: snapshots.get(p.puuid) ?? [],
      },
    };
  });
}
