/** Ranked tiers, lowest first; the index of a tier is its position here. */
export const TIERS = [
  'IRON',
  'BRONZE',
  'SILVER',
  'GOLD',
  'PLATINUM',
  'EMERALD',
  'DIAMOND',
  'MASTER',
  'GRANDMASTER',
  'CHALLENGER',
] as const;
export type Tier = (typeof TIERS)[number];

export const POSITIONS = ['TOP', 'JUNGLE', 'MIDDLE', 'BOTTOM', 'UTILITY'] as const;
export type Position = (typeof POSITIONS)[number];

/** One game of the player, as the analyzer reads it from the match store. */
export type GameSample = {
  gameStart: Date;
  queueId: number;
  durationSeconds: number;
  win: boolean;
  kills: number;
  deaths: number;
  assists: number;
  /** Minions plus neutral monsters. */
  cs: number;
  visionScore: number;
  /** 0..1; null when unknown. */
  killParticipation: number | null;
  championId: number;
  position: Position | null;
  /** The game was remade (ended before it really started). */
  remake: boolean;
  earlySurrender: boolean;
  /** The player's account level at the time of the game. */
  summonerLevel: number | null;
  /** PUUIDs of the player's teammates in this game (the player excluded). */
  teammates: readonly string[];
};

/** A ranked standing of the player (solo queue) at one moment. */
export type RankSnapshotSample = {
  capturedAt: Date;
  /** IRON … CHALLENGER; a snapshot with an unknown tier is ignored. */
  tier: string;
  /** I … IV (apex tiers: I). */
  rank: string;
  leaguePoints: number;
  wins: number;
  losses: number;
};

export type PlayerInput = {
  puuid: string;
  summonerLevel: number | null;
  currentTier: string | null;
  /** In any order; the detection sorts them by gameStart. */
  games: readonly GameSample[];
  /** In any order. */
  snapshots: readonly RankSnapshotSample[];
};

/** Averages of one tier: KDA is (kills + assists) / deaths, CS per minute excludes support games. */
export type MetricValues = {
  kda: number;
  winRate: number;
  csPerMin: number;
  killParticipation: number;
  visionPerMin: number;
};

export type Baselines = {
  byTier: Readonly<Record<Tier, MetricValues>>;
  /**
   * How far one player's averages typically stray from their tier's (one standard deviation of
   * per-player averages over 20–40 games). The KDA spread is on the natural-log scale.
   */
  spread: MetricValues;
  source: string;
};

export type DetectionSettings = {
  /** Fewer eligible (non-remake) games than this: insufficient data. */
  minGames: number;
  /** Shorter games count as remakes even without the flag. */
  minGameSeconds: number;
  /** Only these queues are analysed; null: every game passed in. */
  queueIds: readonly number[] | null;
  baselines: Baselines;
  /** The tier compared with when neither a snapshot nor a current rank is known. */
  fallbackTier: Tier;
  /** Games together before a teammate counts as a recurring duo partner. */
  duoMinGames: number;
  /** Games needed both with and without the partner to compare them. */
  duoMinGroupGames: number;
  /** Score from which a result counts as flagged (see isFlagged). */
  smurfFlagScore: number;
  boostedFlagScore: number;
};

export type FactorResult = {
  key: string;
  /** 0..1: how strongly this factor points to the behaviour. */
  score: number;
  weight: number;
  /** One line: what was measured against what. */
  explanation: string;
};

export type Confidence = 'high' | 'medium' | 'low' | 'none';

export type SmurfResult = { score: number; confidence: Confidence; factors: FactorResult[] };
export type BoostedResult = { score: number; factors: FactorResult[]; duoPartner: string | null };

export type DetectionResult = {
  status: 'ok' | 'insufficient_data';
  algorithmVersion: string;
  gamesAnalyzed: number;
  smurf: SmurfResult | null;
  boosted: BoostedResult | null;
};
