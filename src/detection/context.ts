import { DEFAULT_BASELINES } from './baselines.ts';
import {
  type PerformanceSummary,
  type PreparedGame,
  prepareGame,
  summarize,
} from './performance.ts';
import { type RankPoint, rankTimeline, tierIndex, tiersAt } from './rank.ts';
import { type DetectionSettings, type PlayerInput, TIERS, type Tier } from './types.ts';

export const DEFAULT_SETTINGS: DetectionSettings = {
  minGames: 10,
  minGameSeconds: 300,
  queueIds: null,
  baselines: DEFAULT_BASELINES,
  fallbackTier: 'SILVER',
  duoMinGames: 5,
  duoMinGroupGames: 5,
  smurfFlagScore: 0.5,
  boostedFlagScore: 0.5,
};

/** Everything the factors read, computed once per player. */
export type PlayerContext = {
  input: PlayerInput;
  settings: DetectionSettings;
  /** Eligible games (no remakes, early surrenders or other queues), oldest first. */
  games: PreparedGame[];
  timeline: RankPoint[];
  /** The tier named in explanations: the current one, else the latest snapshot's, else fallback. */
  tier: Tier;
  tierKnown: boolean;
  all: PerformanceSummary;
  older: PerformanceSummary;
  recent: PerformanceSummary;
  olderGames: PreparedGame[];
  recentGames: PreparedGame[];
};

export function resolveSettings(settings?: Partial<DetectionSettings>): DetectionSettings {
  return settings ? { ...DEFAULT_SETTINGS, ...settings } : DEFAULT_SETTINGS;
}

export function buildContext(
  input: PlayerInput,
  partial?: Partial<DetectionSettings>,
): PlayerContext {
  const settings = resolveSettings(partial);
  const { baselines, queueIds, minGameSeconds } = settings;
  const eligible = input.games.filter(
    (g) =>
      !g.remake &&
      !g.earlySurrender &&
      g.durationSeconds >= minGameSeconds &&
      (queueIds === null || queueIds.includes(g.queueId)),
  );
  eligible.sort((a, b) => a.gameStart.getTime() - b.gameStart.getTime());
  const timeline = rankTimeline(input.snapshots);
  const current = tierIndex(input.currentTier);
  const latest = timeline.at(-1)?.tier ?? -1;
  const named = current >= 0 ? current : latest;
  const tierKnown = named >= 0;
  const tier = tierKnown ? (TIERS[named] as Tier) : settings.fallbackTier;
  // Without snapshots every game is compared with the current tier.
  const tiers = tiersAt(
    eligible.map((g) => g.gameStart.getTime()),
    timeline,
    TIERS.indexOf(tier),
  );
  const games = eligible.map((g, i) => prepareGame(g, tiers[i] as number, baselines));
  const half = Math.floor(games.length / 2);
  const olderGames = games.slice(0, half);
  const recentGames = games.slice(half);
  return {
    input,
    settings,
    games,
    timeline,
    tier,
    tierKnown,
    all: summarize(games, baselines),
    older: summarize(olderGames, baselines),
    recent: summarize(recentGames, baselines),
    olderGames,
    recentGames,
  };
}
