import {
  DEFAULT_BASELINES,
  type GameSample,
  type PlayerInput,
  type RankSnapshotSample,
  type Tier,
} from '../../../src/detection/index.ts';

export const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const MINUTES = 30;

/** A 30-minute ranked game, `i` hours after T0, exactly at the tier's baseline unless overridden. */
export function game(i: number, tier: Tier = 'GOLD', over: Partial<GameSample> = {}): GameSample {
  const base = DEFAULT_BASELINES.byTier[tier];
  const deaths = 4;
  const takedowns = Math.round(base.kda * deaths * 10) / 10;
  return {
    gameStart: new Date(T0 + i * HOUR),
    queueId: 420,
    durationSeconds: MINUTES * 60,
    win: i % 2 === 0,
    kills: takedowns * 0.4,
    deaths,
    assists: takedowns * 0.6,
    cs: base.csPerMin * MINUTES,
    visionScore: base.visionPerMin * MINUTES,
    killParticipation: base.killParticipation,
    championId: 1 + (i % 3),
    position: 'MIDDLE',
    remake: false,
    earlySurrender: false,
    summonerLevel: 250,
    teammates: [`mate-${i}-a`, `mate-${i}-b`, `mate-${i}-c`, `mate-${i}-d`],
    ...over,
  };
}

/** `n` games numbered from `from`, each passed through `shape`. */
export function games(
  n: number,
  shape: (i: number) => Partial<GameSample> = () => ({}),
  tier: Tier = 'GOLD',
  from = 0,
): GameSample[] {
  return Array.from({ length: n }, (_, k) => game(from + k, tier, shape(from + k)));
}

export function player(list: GameSample[], over: Partial<PlayerInput> = {}): PlayerInput {
  return {
    puuid: 'player-under-test',
    summonerLevel: 250,
    currentTier: 'GOLD',
    games: list,
    snapshots: [],
    ...over,
  };
}

export function snapshot(
  hour: number,
  tier: string,
  rank: string,
  leaguePoints: number,
  wins: number,
  losses: number,
): RankSnapshotSample {
  return { capturedAt: new Date(T0 + hour * HOUR), tier, rank, leaguePoints, wins, losses };
}

/** A dominant game at the tier: many kills, one death, high farm, a win. */
export const stompAt = (tier: Tier): Partial<GameSample> => ({
  win: true,
  kills: 12,
  deaths: 1,
  assists: 10,
  cs: (DEFAULT_BASELINES.byTier[tier].csPerMin + 2.5) * MINUTES,
  killParticipation: 0.75,
});

/** A hopeless game at the tier: no kills, many deaths, little farm, a loss. */
export const feedAt = (tier: Tier): Partial<GameSample> => ({
  win: false,
  kills: 0,
  deaths: 10,
  assists: 1,
  cs: (DEFAULT_BASELINES.byTier[tier].csPerMin - 2.5) * MINUTES,
  killParticipation: 0.1,
});

export const stomp = (): Partial<GameSample> => stompAt('GOLD');
export const feed = (): Partial<GameSample> => feedAt('GOLD');
