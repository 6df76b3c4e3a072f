import { describe, expect, it } from 'vitest';
import { createRiotClient } from '../../../src/riot/client.ts';
import { createRateLimiter } from '../../../src/riot/rate-limiter.ts';

describe('riot client URL', () => {
  it('fills every {routing} of the base URL', async () => {
    const urls: string[] = [];
    const client = createRiotClient({
      baseUrl: 'http://riot.test/{routing}/proxy/{routing}',
      apiKey: 'RGAPI-test',
      limiter: createRateLimiter(),
      fetch: async (url) => {
        urls.push(String(url));
        return new Response('{"puuid":"p","gameName":"a","tagLine":"b"}', { status: 200 });
      },
    });
    await client.getAccountByPuuid('europe', 'p');
    expect(urls).toEqual([
      'http://riot.test/europe/proxy/europe/riot/account/v1/accounts/by-puuid/p',
    ]);
  });
});
