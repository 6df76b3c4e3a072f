import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRiotClient } from '../../../src/riot/client.ts';
import { RIOT_METHODS } from '../../../src/riot/endpoints.ts';
import {
  RiotBadRequestError,
  RiotForbiddenError,
  RiotNetworkError,
  RiotNotFoundError,
  RiotRateLimitedError,
  RiotRedirectError,
  RiotResponseError,
  RiotServerError,
  RiotUnauthorizedError,
} from '../../../src/riot/errors.ts';
import { endsTheRun } from '../../../src/riot/run-errors.ts';
import { startPair } from './helpers.ts';

// timeScale 0.001: Retry-After seconds become milliseconds, so 429 retries stay fast.
let pair: Awaited<ReturnType<typeof startPair>>;
let puuid: string;
beforeAll(async () => {
  pair = await startPair({ timeScale: 0.001 });
  puuid = pair.simulator.world.trackable(1, 'euw1')[0]?.puuid ?? '';
});
afterEach(() => pair.simulator.faults.clear());
afterAll(() => pair.simulator.stop());

const summoner = () => pair.client.getSummonerByPuuid('euw1', puuid);
const statusesOfLast = (n: number) => pair.requests.slice(-n).map((r) => r.status);
const S = RIOT_METHODS.summonerByPuuid;

describe('riot client error classes and faults', () => {
  it('404 → RiotNotFoundError (unknown match, deleted account)', async () => {
    await expect(pair.client.getMatch('EUW1_1')).rejects.toBeInstanceOf(RiotNotFoundError);
    const deleted = pair.simulator.world.players().find((p) => p.deletedAt !== null);
    pair.simulator.world.advance((deleted?.deletedAt ?? 0) - pair.simulator.world.now() + 1);
    await expect(
      pair.client.getAccountByPuuid('europe', deleted?.puuid ?? ''),
    ).rejects.toBeInstanceOf(RiotNotFoundError);
  });

  it('400 Exception decrypting → RiotBadRequestError flagged as a foreign PUUID', async () => {
    const error = await pair.client.getAccountByPuuid('europe', 'NonExistentPuuid').catch((e) => e);
    expect(error).toBeInstanceOf(RiotBadRequestError);
    expect(error.decryptionFailed).toBe(true);
    await expect(
      pair.client.getMatchIdsByPuuid('euw1', puuid, { count: 101 }),
    ).rejects.toBeInstanceOf(RiotBadRequestError);
  });

  it('401 without a key, 403 with a wrong or expired key', async () => {
    const base = { baseUrl: pair.simulator.baseUrlTemplate, limiter: pair.limiter, maxRetries: 0 };
    await expect(
      createRiotClient({ ...base, apiKey: '' }).getSummonerByPuuid('euw1', puuid),
    ).rejects.toBeInstanceOf(RiotUnauthorizedError);
    await expect(
      createRiotClient({ ...base, apiKey: 'RGAPI-wrong' }).getSummonerByPuuid('euw1', puuid),
    ).rejects.toBeInstanceOf(RiotForbiddenError);
    pair.simulator.faults.expireKey();
    await expect(summoner()).rejects.toBeInstanceOf(RiotForbiddenError);
  });

  it.each(['application', 'method', 'service', 'server'])(
    'retries after an injected %s 429',
    async (type) => {
      pair.simulator.faults.inject(
        { kind: 'rate-limit', type, retryAfterSeconds: 2 },
        { method: S, times: 1 },
      );
      await expect(summoner()).resolves.toMatchObject({ puuid });
      expect(statusesOfLast(2)).toEqual([429, 200]);
    },
  );

  it('retries a 429 without Retry-After (fallback delay)', async () => {
    pair.simulator.faults.inject(
      { kind: 'rate-limit', type: 'service', retryAfterSeconds: null },
      { method: S, times: 1 },
    );
    await expect(summoner()).resolves.toMatchObject({ puuid });
  });

  it('gives up with RiotRateLimitedError {retryAfterMs, limitType} after the retry budget', async () => {
    pair.simulator.faults.inject(
      { kind: 'rate-limit', type: 'method', retryAfterSeconds: 3 },
      { method: S },
    );
    const error = await summoner().catch((e) => e);
    expect(error).toBeInstanceOf(RiotRateLimitedError);
    expect(error).toMatchObject({ limitType: 'method', retryAfterMs: 3250 });
    expect(statusesOfLast(3)).toEqual([429, 429, 429]);
  });

  it("keeps a 429's Retry-After when its body never arrives", async () => {
    pair.simulator.faults.inject(
      { kind: 'rate-limit', type: 'method', retryAfterSeconds: 200, cutBody: true },
      { method: S, times: 1 },
    );
    const started = performance.now();
    await expect(summoner()).resolves.toMatchObject({ puuid });
    // 200 s at time scale 0.001 = 200 ms (+ margin); the client's own backoff would be ~5 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(statusesOfLast(2)).toEqual([429, 200]);
    // Past the retry budget it is a rate limit, not a network error.
    pair.simulator.faults.inject(
      { kind: 'rate-limit', type: 'method', retryAfterSeconds: 1, cutBody: true },
      { method: S },
    );
    await expect(summoner()).rejects.toBeInstanceOf(RiotRateLimitedError);
  });

  it.each([500, 503])('retries a %i, then throws RiotServerError', async (status) => {
    pair.simulator.faults.inject({ kind: 'status', status }, { method: S, times: 1 });
    await expect(summoner()).resolves.toMatchObject({ puuid });
    pair.simulator.faults.inject({ kind: 'status', status }, { method: S });
    const error = await summoner().catch((e) => e);
    expect(error).toBeInstanceOf(RiotServerError);
    expect(error.status).toBe(status);
  });

  it('connection resets are retried, then RiotNetworkError (counted)', async () => {
    pair.simulator.faults.inject({ kind: 'reset' }, { method: S, times: 1 });
    await expect(summoner()).resolves.toMatchObject({ puuid });
    expect(statusesOfLast(2)).toEqual([null, 200]);
    pair.simulator.faults.inject({ kind: 'reset' }, { method: S });
    await expect(summoner()).rejects.toBeInstanceOf(RiotNetworkError);
    expect(statusesOfLast(3)).toEqual([null, null, null]);
  });

  it('a base URL with credentials (which fetch refuses, quoting it) fails without its password', async () => {
    const client = createRiotClient({
      baseUrl: pair.simulator.baseUrlTemplate.replace('://', '://rw:S3cretPass@'),
      apiKey: pair.simulator.apiKey,
      limiter: pair.limiter,
      maxRetries: 0,
    });
    const error = await client.getSummonerByPuuid('euw1', puuid).catch((e) => e);
    expect(error).toBeInstanceOf(RiotNetworkError);
    expect(error.message).toMatch(/credentials: http:\/\/rw:\*\*\*@127\.0\.0\.1:\d+\/euw1\//);
    expect(error.message).not.toContain('S3cretPass');
  });

  it('slow responses time out as RiotNetworkError { timedOut }', async () => {
    const slowClient = createRiotClient({
      baseUrl: pair.simulator.baseUrlTemplate,
      apiKey: pair.simulator.apiKey,
      limiter: pair.limiter,
      timeoutMs: 50,
      maxRetries: 0,
    });
    pair.simulator.faults.inject({ kind: 'delay', ms: 300 }, { method: S, times: 1 });
    const error = await slowClient.getSummonerByPuuid('euw1', puuid).catch((e) => e);
    expect(error).toBeInstanceOf(RiotNetworkError);
    expect(error.timedOut).toBe(true);
    pair.simulator.faults.inject({ kind: 'delay', ms: 30 }, { method: S, times: 1 });
    await expect(summoner()).resolves.toMatchObject({ puuid });
  });

  it('malformed JSON is retried, then RiotResponseError', async () => {
    pair.simulator.faults.inject({ kind: 'malformed-json' }, { method: S, times: 1 });
    await expect(summoner()).resolves.toMatchObject({ puuid });
    pair.simulator.faults.inject({ kind: 'malformed-json' }, { method: S });
    await expect(summoner()).rejects.toBeInstanceOf(RiotResponseError);
  });

  it('aborting a scoped caller rejects with the signal reason', async () => {
    const controller = new AbortController();
    pair.simulator.faults.inject({ kind: 'delay', ms: 200 }, { method: S, times: 1 });
    const pending = pair.client
      .scoped({ signal: controller.signal })
      .getSummonerByPuuid('euw1', puuid);
    setTimeout(() => controller.abort(new Error('job timed out')), 20);
    await expect(pending).rejects.toThrow('job timed out');
  });

  it('never receives a real 429 from the simulator', () => {
    expect(pair.simulator.stats().limitExceeded).toEqual({ application: 0, method: 0 });
  });
});

/** A local HTTP server answering every request with `listener`; its base URL. */
async function serve(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('riot client against a host that is not Riot', () => {
  it('does not follow a redirect: the key never reaches another host', async () => {
    const seen: (string | undefined)[] = [];
    const other = await serve((req, res) => {
      seen.push(req.headers['x-riot-token'] as string | undefined);
      res.end('{}');
    });
    const redirecting = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.url}/steal` }).end();
    });
    try {
      const client = createRiotClient({
        baseUrl: `${redirecting.url}/{routing}`,
        apiKey: 'RGAPI-secret',
        limiter: pair.limiter,
        maxRetries: 0,
      });
      const error = await client.getSummonerByPuuid('euw1', puuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RiotRedirectError);
      expect(String(error)).toMatch(/redirect \(HTTP 302\) to .*, not followed/);
      expect(seen).toEqual([]);
    } finally {
      other.server.close();
      redirecting.server.close();
    }
  });

  it('a 301 is a setup fault that ends the run, naming where the base URL redirects', async () => {
    const redirecting = await serve((req, res) => {
      res.writeHead(301, { location: `https://riot.example${req.url}` }).end();
    });
    try {
      const client = createRiotClient({
        baseUrl: `${redirecting.url}/{routing}`,
        apiKey: 'RGAPI-test',
        limiter: pair.limiter,
        maxRetries: 0,
      });
      const error = await client.getMatch('EUW1_42').catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(RiotBadRequestError);
      expect(endsTheRun(error)).toBe(true);
      expect((error as Error).message).toContain(
        'redirect (HTTP 301) to https://riot.example/europe/lol/match/v5/matches/EUW1_42',
      );
      expect((error as Error).message).toContain('RIOT_API_BASE_URL');
    } finally {
      redirecting.server.close();
    }
  });

  it('names the first few problems of a payload of the wrong shape, not all of them', async () => {
    const numbers = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i)));
    });
    try {
      const client = createRiotClient({
        baseUrl: `${numbers.url}/{routing}`,
        apiKey: 'RGAPI-test',
        limiter: pair.limiter,
        maxRetries: 0,
      });
      const error = await client.getMatchIdsByPuuid('europe', puuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RiotResponseError);
      const { message } = error as Error;
      expect(message).toMatch(/^Unexpected response shape: 0: .*; and 19997 more$/);
      expect(message.length).toBeLessThan(1000);
    } finally {
      numbers.server.close();
    }
  });
});
