import type { z } from 'zod';
import type { Logger } from '../logger.ts';
import { maskUrlPassword } from '../mask-url.ts';
import { abortReason, type Clock, sleep, systemClock } from './clock.ts';
import { type MatchIdsQuery, paths, RIOT_METHODS, type RiotMethod } from './endpoints.ts';
import {
  type RateLimitType,
  RiotBadRequestError,
  type RiotErrorContext,
  RiotForbiddenError,
  RiotNetworkError,
  RiotNotFoundError,
  RiotRateLimitedError,
  RiotRedirectError,
  RiotResponseError,
  RiotServerError,
  RiotUnauthorizedError,
} from './errors.ts';
import type { Priority, RateLimiter } from './rate-limiter.ts';
import {
  accountRegionOf,
  type Platform,
  platformOfMatchId,
  type Routing,
  toRegion,
} from './routing.ts';
import {
  type AccountDto,
  AccountDto as AccountSchema,
  LeagueEntriesDto,
  type LeagueEntryDto,
  type MatchDto,
  MatchIdsDto,
  MatchDto as MatchSchema,
  type SummonerDto,
  SummonerDto as SummonerSchema,
} from './schemas.ts';

/** One HTTP attempt, reported whatever its outcome (status null: no HTTP answer). */
export type RiotRequestInfo = {
  routing: string;
  method: RiotMethod;
  status: number | null;
  durationMs: number;
  queuedMs: number;
  attempt: number;
  priority: Priority;
  /** A 429's limit type (from X-Rate-Limit-Type; `service` when absent). */
  limitType?: RateLimitType;
};

export type ScopeOptions = {
  priority?: Priority;
  signal?: AbortSignal;
  onRequest?: (info: RiotRequestInfo) => void;
};

export type RiotClientOptions = {
  /** Host template with `{routing}`, e.g. `https://{routing}.api.riotgames.com`. */
  baseUrl: string;
  apiKey: string;
  limiter: RateLimiter;
  logger?: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, malformed bodies and network errors. */
  maxRetries?: number;
  /** First backoff for 5xx and network errors (doubles each retry, with jitter). */
  retryBaseDelayMs?: number;
  clock?: Clock;
  onRequest?: (info: RiotRequestInfo) => void;
};

export interface RiotClient {
  getAccountByRiotId(routing: Routing, gameName: string, tagLine: string): Promise<AccountDto>;
  getAccountByPuuid(routing: Routing, puuid: string): Promise<AccountDto>;
  getSummonerByPuuid(platform: Platform, puuid: string): Promise<SummonerDto>;
  getLeagueEntriesByPuuid(platform: Platform, puuid: string): Promise<LeagueEntryDto[]>;
  getMatchIdsByPuuid(routing: Routing, puuid: string, query?: MatchIdsQuery): Promise<string[]>;
  /** The region comes from the id's platform prefix (`EUW1_…` → europe) unless given. */
  getMatch(matchId: string, routing?: Routing): Promise<MatchDto>;
  /** The same client and limiter, with a priority, an abort signal and a per-attempt callback. */
  scoped(options: ScopeOptions): RiotClient;
}

type Scope = Required<Pick<ScopeOptions, 'priority'>> & Omit<ScopeOptions, 'priority'>;

function errorMessage(text: string, fallback: string): string {
  try {
    const body = JSON.parse(text) as { status?: { message?: unknown } };
    if (typeof body?.status?.message === 'string') return body.status.message;
  } catch {}
  return fallback;
}

/** The first few problems of a payload of the wrong shape: a whole list can run to megabytes. */
function shapeProblems(error: z.ZodError): string {
  const shown = error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message.slice(0, 200)}`);
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function errorFor(response: Response, text: string, context: RiotErrorContext): Error {
  const { status } = response;
  const message = errorMessage(text, `HTTP ${status}`);
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return new RiotRedirectError(status, location && maskUrlPassword(location), context);
  }
  if (status === 404) return new RiotNotFoundError(message, context);
  if (status === 401) return new RiotUnauthorizedError(message, context);
  if (status === 403) return new RiotForbiddenError(message, context);
  if (status >= 500) return new RiotServerError(status, message, context);
  return new RiotBadRequestError(message, context, status);
}

export function createRiotClient(options: RiotClientOptions): RiotClient {
  const { limiter, apiKey, logger } = options;
  const fetchImpl = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 3;
  const baseDelay = options.retryBaseDelayMs ?? 500;
  if (!options.baseUrl.includes('{routing}')) throw new Error('baseUrl must contain {routing}');

  async function request<T>(
    scope: Scope,
    routing: string,
    method: RiotMethod,
    path: string,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const url = options.baseUrl.replaceAll('{routing}', routing) + path;
    const context: RiotErrorContext = { routing, method };
    const { signal, priority } = scope;
    const backoff = (attempt: number) => {
      const delay = Math.min(8_000, baseDelay * 2 ** attempt);
      return sleep(clock, delay / 2 + Math.random() * (delay / 2), signal);
    };
    for (let attempt = 0; ; attempt++) {
      const permit = await limiter.acquire({ routing, method, priority, signal });
      const started = clock.now();
      const report = (status: number | null, limitType?: RateLimitType) => {
        const info: RiotRequestInfo = {
          routing,
          method,
          status,
          durationMs: clock.now() - started,
          queuedMs: permit.queuedMs,
          attempt,
          priority,
          ...(limitType && { limitType }),
        };
        logger?.debug(info, 'Riot request');
        options.onRequest?.(info);
        scope.onRequest?.(info);
      };
      // A failure in transit: retried with backoff, else a network error. Returns to `continue`.
      const failedInTransit = async (error: unknown) => {
        if (signal?.aborted) throw abortReason(signal);
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        if (attempt < maxRetries) return backoff(attempt);
        // fetch quotes the URL it refused, credentials included, and this message reaches
        // answers, logs and job_executions.
        const reason = timedOut
          ? `timed out after ${timeoutMs} ms`
          : maskUrlPassword(String((error as Error)?.cause ?? error));
        throw new RiotNetworkError(`Riot request failed: ${reason}`, timedOut, context, error);
      };
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetchImpl(url, {
          headers: { 'X-Riot-Token': apiKey, Accept: 'application/json' },
          // Riot never redirects: a redirect would carry the key to another host.
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        permit.complete(null);
        report(null);
        await failedInTransit(error);
        continue;
      }
      // The status and headers count even if the body never arrives (a 429's Retry-After above all).
      const { status } = response;
      const verdict = permit.complete(status, response.headers);
      report(status, verdict?.limitType);
      // A 429 needs no body: Retry-After and the limit type are in its headers.
      if (status === 429) {
        response.body?.cancel().catch(() => {}); // frees the connection
        // The limiter already holds this routing value or method back for Retry-After.
        if (attempt < maxRetries) continue;
        const retryAfterMs = (verdict?.retryAfterMs ?? 0) / limiter.timeScale;
        throw new RiotRateLimitedError(retryAfterMs, verdict?.limitType ?? 'service', context);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        await failedInTransit(error);
        continue;
      }
      if (status >= 200 && status < 300) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (error) {
          if (attempt < maxRetries) {
            await backoff(attempt);
            continue;
          }
          throw new RiotResponseError('Riot answered with malformed JSON', status, context, error);
        }
        const parsed = schema.safeParse(body);
        if (parsed.success) return parsed.data;
        throw new RiotResponseError(
          `Unexpected response shape: ${shapeProblems(parsed.error)}`,
          status,
          context,
          parsed.error,
        );
      }
      if (status >= 500 && attempt < maxRetries) {
        await backoff(attempt);
        continue;
      }
      throw errorFor(response, text, context);
    }
  }

  function build(scope: Scope): RiotClient {
    return {
      getAccountByRiotId: (routing, gameName, tagLine) =>
        request(
          scope,
          accountRegionOf(routing),
          RIOT_METHODS.accountByRiotId,
          paths.accountByRiotId(gameName, tagLine),
          AccountSchema,
        ),
      getAccountByPuuid: (routing, puuid) =>
        request(
          scope,
          accountRegionOf(routing),
          RIOT_METHODS.accountByPuuid,
          paths.accountByPuuid(puuid),
          AccountSchema,
        ),
      getSummonerByPuuid: (platform, puuid) =>
        request(
          scope,
          platform,
          RIOT_METHODS.summonerByPuuid,
          paths.summonerByPuuid(puuid),
          SummonerSchema,
        ),
      getLeagueEntriesByPuuid: (platform, puuid) =>
        request(
          scope,
          platform,
          RIOT_METHODS.leagueEntriesByPuuid,
          paths.leagueEntriesByPuuid(puuid),
          LeagueEntriesDto,
        ),
      getMatchIdsByPuuid: (routing, puuid, query) =>
        request(
          scope,
          toRegion(routing),
          RIOT_METHODS.matchIdsByPuuid,
          paths.matchIdsByPuuid(puuid, query),
          MatchIdsDto,
        ),
      getMatch: (matchId, routing) => {
        const platform = platformOfMatchId(matchId);
        const target = routing ?? platform;
        if (!target) {
          return Promise.reject(
            new RiotBadRequestError(`Unknown platform in match id ${matchId}`, {
              method: RIOT_METHODS.match,
            }),
          );
        }
        return request(
          scope,
          toRegion(target),
          RIOT_METHODS.match,
          paths.match(matchId),
          MatchSchema,
        );
      },
      scoped: (next) => {
        const signals = [scope.signal, next.signal].filter(
          (s): s is AbortSignal => s !== undefined,
        );
        const outer = scope.onRequest;
        const inner = next.onRequest;
        return build({
          priority: next.priority ?? scope.priority,
          signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
          onRequest:
            outer && inner
              ? (info) => {
                  outer(info);
                  inner(info);
                }
              : (inner ?? outer),
        });
      },
    };
  }

  return build({ priority: 'background' });
}
