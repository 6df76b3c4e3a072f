import { ApiError } from '../api-client/errors.ts';
import { booleanParam, limitParam, objectBody, stringParam } from './params.ts';
import { AFTER, LIMIT, MUTATION_ERRORS, PUUID, q, type Route } from './route.ts';

/** Players. */
export const PLAYER_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/players/tracked',
    operationId: 'trackedPlayers',
    summary: 'Tracked players, longest tracked first',
    graphql: 'query trackedPlayers',
    success: 200,
    errors: [],
    run: (api) => api.trackedPlayers(),
  },
  {
    method: 'GET',
    path: '/api/v1/players',
    operationId: 'listPlayers',
    summary: 'Players riftwatch knows, filtered, ordered by PUUID',
    graphql: 'query players',
    params: [
      q('tracked', 'boolean', 'tracked or not'),
      q('flagged', 'boolean', 'flagged by the latest analysis or not'),
      q('analyzed', 'boolean', 'analysed or not'),
      q('platform', 'string', 'e.g. euw1'),
      q('search', 'string', 'Riot ID prefix'),
      { ...LIMIT, description: `${LIMIT.description}; default 50` },
      AFTER,
    ],
    success: 200,
    errors: [],
    run: (api, { query }) =>
      api.listPlayers({
        tracked: booleanParam(query, 'tracked'),
        flagged: booleanParam(query, 'flagged'),
        analyzed: booleanParam(query, 'analyzed'),
        platform: stringParam(query, 'platform'),
        search: stringParam(query, 'search'),
        limit: limitParam(query),
        after: stringParam(query, 'after'),
      }),
  },
  {
    method: 'GET',
    path: '/api/v1/players/{puuid}',
    operationId: 'getPlayer',
    summary: 'One player',
    graphql: 'query player(puuid)',
    params: [PUUID],
    success: 200,
    errors: [404],
    run: (api, { params }) => api.getPlayer(params.puuid as string),
  },
  {
    method: 'POST',
    path: '/api/v1/players/{puuid}/track',
    operationId: 'trackPlayer',
    summary: 'Tracks a player (refused past MAX_TRACKED_PLAYERS) (admin)',
    graphql: 'mutation trackPlayer',
    params: [PUUID, q('platform', 'string', 'default: DEFAULT_PLATFORM')],
    body: { platform: { type: 'string', description: 'instead of ?platform=' } },
    success: 200,
    errors: [...MUTATION_ERRORS, 503],
    run: (api, { params, query, body }) => {
      const inQuery = stringParam(query, 'platform');
      const inBody = objectBody(body).platform;
      if (inQuery !== undefined && inBody !== undefined) {
        throw new ApiError('INVALID_INPUT', 'Give the platform once: in ?platform= or the body');
      }
      const platform = inQuery ?? inBody;
      return api.trackPlayer({
        puuid: params.puuid as string,
        ...(platform !== undefined && { platform: platform as string }),
      });
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/players/{puuid}/track',
    operationId: 'untrackPlayer',
    summary: 'Stops tracking a player; its data stays (admin)',
    graphql: 'mutation untrackPlayer',
    params: [PUUID],
    success: 200,
    errors: MUTATION_ERRORS,
    run: (api, { params }) => api.untrackPlayer(params.puuid as string),
  },
];
