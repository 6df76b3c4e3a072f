/** Method ids: the keys of per-method rate limits, shared by the client and the simulator. */
export const RIOT_METHODS = {
  accountByRiotId: 'account-v1.by-riot-id',
  accountByPuuid: 'account-v1.by-puuid',
  summonerByPuuid: 'summoner-v4.by-puuid',
  leagueEntriesByPuuid: 'league-v4.entries-by-puuid',
  matchIdsByPuuid: 'match-v5.ids-by-puuid',
  match: 'match-v5.match',
} as const;
export type RiotMethod = (typeof RIOT_METHODS)[keyof typeof RIOT_METHODS];

/** The service a method belongs to (`match-v5` for `match-v5.match`): a service 429 covers all of its methods. */
export const serviceOf = (method: string): string => method.split('.', 1)[0] ?? method;

export const MATCH_TYPES = ['ranked', 'normal', 'tourney', 'tutorial'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

/** match-v5 ids filters; times are epoch seconds as Riot takes them. */
export type MatchIdsQuery = {
  start?: number;
  /** 0–100, Riot's default 20. */
  count?: number;
  startTime?: number;
  endTime?: number;
  queue?: number;
  type?: MatchType;
};

const enc = encodeURIComponent;

export const paths = {
  accountByRiotId: (gameName: string, tagLine: string) =>
    `/riot/account/v1/accounts/by-riot-id/${enc(gameName)}/${enc(tagLine)}`,
  accountByPuuid: (puuid: string) => `/riot/account/v1/accounts/by-puuid/${enc(puuid)}`,
  summonerByPuuid: (puuid: string) => `/lol/summoner/v4/summoners/by-puuid/${enc(puuid)}`,
  leagueEntriesByPuuid: (puuid: string) => `/lol/league/v4/entries/by-puuid/${enc(puuid)}`,
  matchIdsByPuuid: (puuid: string, query: MatchIdsQuery = {}) => {
    const params = new URLSearchParams();
    for (const key of ['startTime', 'endTime', 'queue', 'type', 'start', 'count'] as const) {
      const value = query[key];
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return `/lol/match/v5/matches/by-puuid/${enc(puuid)}/ids${qs ? `?${qs}` : ''}`;
  },
  match: (matchId: string) => `/lol/match/v5/matches/${enc(matchId)}`,
} as const;
