/** Platform routing values (lower case, as in `players.platform`) and their regional routing. */
export const PLATFORMS = [
  'euw1',
  'eun1',
  'tr1',
  'ru',
  'me1',
  'na1',
  'br1',
  'la1',
  'la2',
  'kr',
  'jp1',
  'oc1',
  'ph2',
  'sg2',
  'th2',
  'tw2',
  'vn2',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const REGIONS = ['europe', 'americas', 'asia', 'sea'] as const;
export type Region = (typeof REGIONS)[number];

/** A value that selects a rate-limit budget and a host: a platform or a region. */
export type Routing = Platform | Region;

const REGION_OF = {
  euw1: 'europe',
  eun1: 'europe',
  tr1: 'europe',
  ru: 'europe',
  me1: 'europe',
  na1: 'americas',
  br1: 'americas',
  la1: 'americas',
  la2: 'americas',
  kr: 'asia',
  jp1: 'asia',
  oc1: 'sea',
  ph2: 'sea',
  sg2: 'sea',
  th2: 'sea',
  tw2: 'sea',
  vn2: 'sea',
} as const satisfies Record<Platform, Region>;

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

export function regionOf(platform: Platform): Region {
  return REGION_OF[platform];
}

/** The region that serves match-v5 for a platform or region. */
export function toRegion(routing: Routing): Region {
  return isRegion(routing) ? routing : regionOf(routing);
}

/** account-v1 is served by americas, asia and europe only; Riot routes SEA accounts to asia. */
export function accountRegionOf(routing: Routing): Exclude<Region, 'sea'> {
  const region = toRegion(routing);
  return region === 'sea' ? 'asia' : region;
}

/** `EUW1_7583681432` → `euw1`; null when the prefix is not a known platform. */
export function platformOfMatchId(matchId: string): Platform | null {
  const prefix = matchId.split('_', 1)[0]?.toLowerCase();
  return isPlatform(prefix) ? prefix : null;
}
