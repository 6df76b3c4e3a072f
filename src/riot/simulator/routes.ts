import { MATCH_TYPES, RIOT_METHODS, type RiotMethod } from '../endpoints.ts';
import { isPlatform, isRegion, type Platform, type Region, regionOf } from '../routing.ts';
import { matchPayload } from './match-payload.ts';
import { PUUID_PATTERN } from './random.ts';
import type { World } from './world.ts';

export type Reply = { status: number; body: unknown };

const error = (status: number, message: string): Reply => ({
  status,
  body: { status: { message, status_code: status } },
});
const notFound = (what = 'Data not found') => error(404, what);
const decryptError = (puuid: string) => error(400, `Bad Request - Exception decrypting ${puuid}`);

type Route = {
  method: RiotMethod;
  pattern: RegExp;
  handle: (world: World, routing: string, params: string[], query: URLSearchParams) => Reply;
};

const ACCOUNT_REGIONS = new Set(['americas', 'asia', 'europe']);

function regional(routing: string): Region | null {
  return isRegion(routing) ? routing : null;
}

const RANKED_QUEUES = new Set([420, 440]);
const TYPE_OF = (queueId: number) => (RANKED_QUEUES.has(queueId) ? 'ranked' : 'normal');

export const ROUTES: Route[] = [
  {
    method: RIOT_METHODS.accountByRiotId,
    pattern: /^\/riot\/account\/v1\/accounts\/by-riot-id\/([^/]+)\/([^/]+)$/,
    handle: (world, routing, [name = '', tag = '']) => {
      if (!ACCOUNT_REGIONS.has(routing)) return error(403, 'Forbidden');
      const account = world.accountByRiotId(name, tag);
      return account
        ? { status: 200, body: account }
        : notFound(`Data not found - No results found for player with riot id ${name}#${tag}`);
    },
  },
  {
    method: RIOT_METHODS.accountByPuuid,
    pattern: /^\/riot\/account\/v1\/accounts\/by-puuid\/([^/]+)$/,
    handle: (world, routing, [puuid = '']) => {
      if (!ACCOUNT_REGIONS.has(routing)) return error(403, 'Forbidden');
      if (!PUUID_PATTERN.test(puuid)) return decryptError(puuid);
      const account = world.account(puuid);
      return account
        ? { status: 200, body: account }
        : notFound('Data not found - No results found for player with puuid');
    },
  },
  {
    method: RIOT_METHODS.summonerByPuuid,
    pattern: /^\/lol\/summoner\/v4\/summoners\/by-puuid\/([^/]+)$/,
    handle: (world, routing, [puuid = '']) => {
      if (!isPlatform(routing)) return error(403, 'Forbidden');
      if (!PUUID_PATTERN.test(puuid)) return decryptError(puuid);
      const summoner = world.summoner(routing, puuid);
      return summoner
        ? { status: 200, body: summoner }
        : notFound('Data not found - summoner not found');
    },
  },
  {
    method: RIOT_METHODS.leagueEntriesByPuuid,
    pattern: /^\/lol\/league\/v4\/entries\/by-puuid\/([^/]+)$/,
    handle: (world, routing, [puuid = '']) => {
      if (!isPlatform(routing)) return error(403, 'Forbidden');
      if (!PUUID_PATTERN.test(puuid)) return decryptError(puuid);
      return { status: 200, body: world.leagueEntries(routing, puuid) };
    },
  },
  {
    method: RIOT_METHODS.matchIdsByPuuid,
    pattern: /^\/lol\/match\/v5\/matches\/by-puuid\/([^/]+)\/ids$/,
    handle: (world, routing, [puuid = ''], query) => {
      const region = regional(routing);
      if (!region) return error(403, 'Forbidden');
      if (!PUUID_PATTERN.test(puuid)) return decryptError(puuid);
      const num = (key: string, fallback: number) =>
        query.has(key) ? Number(query.get(key)) : fallback;
      const start = num('start', 0);
      const count = num('count', 20);
      const startTime = num('startTime', 0);
      const endTime = num('endTime', Number.MAX_SAFE_INTEGER);
      const queue = query.has('queue') ? num('queue', 0) : null;
      const type = query.get('type');
      const bad = [start, count, startTime, endTime, queue ?? 0].some(
        (n) => !Number.isInteger(n) || n < 0,
      );
      if (
        bad ||
        count > 100 ||
        (type !== null && !(MATCH_TYPES as readonly string[]).includes(type))
      ) {
        return error(400, 'Bad Request - invalid query parameter');
      }
      const list = (world.matchIds(puuid) ?? [])
        .filter((m) => regionOf(m.platformId.toLowerCase() as Platform) === region)
        .filter(
          (m) => m.gameStartTimestamp >= startTime * 1000 && m.gameStartTimestamp <= endTime * 1000,
        )
        .filter(
          (m) =>
            (queue === null || m.queueId === queue) &&
            (type === null || TYPE_OF(m.queueId) === type),
        );
      return { status: 200, body: list.slice(start, start + count).map((m) => m.matchId) };
    },
  },
  {
    method: RIOT_METHODS.match,
    pattern: /^\/lol\/match\/v5\/matches\/([A-Za-z0-9]+_\d+)$/,
    handle: (world, routing, [matchId = '']) => {
      const region = regional(routing);
      if (!region) return error(403, 'Forbidden');
      const match = world.match(matchId);
      if (!match || regionOf(match.platformId.toLowerCase() as Platform) !== region) {
        return notFound('Data not found - match file not found');
      }
      return { status: 200, body: matchPayload(match) };
    },
  },
];

export function findRoute(path: string): { route: Route; params: string[] } | null {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return null;
}

export { error as errorReply };
