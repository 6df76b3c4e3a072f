/** Displayed rank as a single number: 400 points per tier, 100 per division, LP on top. */
export const TIERS = [
  'IRON',
  'BRONZE',
  'SILVER',
  'GOLD',
  'PLATINUM',
  'EMERALD',
  'DIAMOND',
] as const;
const DIVISIONS = ['IV', 'III', 'II', 'I'] as const;
export const MASTER_FLOOR = TIERS.length * 400;

export type DisplayedRank = { tier: string; rank: string; leaguePoints: number };

export function rankOf(ladder: number): DisplayedRank {
  const points = Math.max(0, Math.round(ladder));
  if (points >= MASTER_FLOOR) {
    const lp = points - MASTER_FLOOR;
    const tier = lp >= 1000 ? 'CHALLENGER' : lp >= 500 ? 'GRANDMASTER' : 'MASTER';
    return { tier, rank: 'I', leaguePoints: lp };
  }
  const tier = TIERS[Math.floor(points / 400)] ?? 'IRON';
  const rank = DIVISIONS[Math.floor((points % 400) / 100)] ?? 'IV';
  return { tier, rank, leaguePoints: points % 100 };
}

/** Champions by role: [id, name] pairs as Riot names them in match-v5. */
type ChampionList = ReadonlyArray<readonly [number, string]>;
export const CHAMPIONS: Record<'TOP' | 'JUNGLE' | 'MIDDLE' | 'BOTTOM' | 'UTILITY', ChampionList> = {
  TOP: [
    [266, 'Aatrox'],
    [122, 'Darius'],
    [86, 'Garen'],
    [54, 'Malphite'],
    [150, 'Gnar'],
    [875, 'Sett'],
    [79, 'Gragas'],
  ],
  JUNGLE: [
    [64, 'LeeSin'],
    [11, 'MasterYi'],
    [104, 'Graves'],
    [121, 'Khazix'],
    [234, 'Viego'],
    [59, 'JarvanIV'],
  ],
  MIDDLE: [
    [103, 'Ahri'],
    [157, 'Yasuo'],
    [238, 'Zed'],
    [61, 'Orianna'],
    [7, 'Leblanc'],
    [8, 'Vladimir'],
    [99, 'Lux'],
  ],
  BOTTOM: [
    [222, 'Jinx'],
    [145, 'Kaisa'],
    [51, 'Caitlyn'],
    [236, 'Lucian'],
    [119, 'Draven'],
    [22, 'Ashe'],
  ],
  UTILITY: [
    [412, 'Thresh'],
    [89, 'Leona'],
    [117, 'Lulu'],
    [25, 'Morgana'],
    [526, 'Rell'],
    [518, 'Neeko'],
  ],
};
export type Position = keyof typeof CHAMPIONS;
export const POSITIONS = Object.keys(CHAMPIONS) as Position[];
