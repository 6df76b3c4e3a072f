import { describe, expect, it } from 'vitest';
import { setup } from './limiter-429-helpers.ts';
import { flushLogs } from './limiter-helpers.ts';

describe('rate limiter on 429', () => {
  it('application: honours Retry-After (+ margin) for every method of the routing value', async () => {
    const { waitFor, refuse, lines } = await setup();
    const verdict = await refuse({ 'X-Rate-Limit-Type': 'application', 'Retry-After': '2' });
    expect(verdict).toEqual({ retryAfterMs: 2100, limitType: 'application' });
    expect(await waitFor('other')).toBe(2100);
    expect(await waitFor('m', 'na1')).toBe(0); // other routing values keep their own budget
    await flushLogs();
    expect(lines.find((l) => l.msg === 'Rate limit exceeded')).toMatchObject({
      routing: 'euw1',
      method: 'm',
      limitType: 'application',
    });
  });

  it('method: blocks only that method', async () => {
    const { waitFor, refuse } = await setup();
    await refuse({ 'X-Rate-Limit-Type': 'method', 'Retry-After': '3' });
    expect(await waitFor('other')).toBe(0);
    expect(await waitFor('m')).toBe(3100);
  });

  it('service without Retry-After: falls back, blocks only that endpoint', async () => {
    const { waitFor, refuse } = await setup();
    const verdict = await refuse({ 'X-Rate-Limit-Type': 'service' });
    expect(verdict).toEqual({ retryAfterMs: 1000, limitType: 'service' });
    expect(await waitFor('other')).toBe(0);
    expect(await waitFor('m')).toBe(1000);
  });

  it('service: blocks every method of that service in that routing value only', async () => {
    const { waitFor, refuse } = await setup();
    await refuse({ 'X-Rate-Limit-Type': 'service', 'Retry-After': '2' }, 'svc.a');
    expect(await waitFor('other-svc.a')).toBe(0);
    expect(await waitFor('svc.b', 'na1')).toBe(0);
    expect(await waitFor('svc.b')).toBe(2100);
  });

  it('no X-Rate-Limit-Type: blocks the whole service too', async () => {
    const { waitFor, refuse } = await setup();
    await refuse({ 'Retry-After': '2' }, 'svc.a');
    expect(await waitFor('svc.b')).toBe(2100);
  });

  it('no X-Rate-Limit-Type at all is the service refusing', async () => {
    const { refuse } = await setup();
    expect((await refuse({}))?.limitType).toBe('service');
  });

  it('unknown types such as `server` stop the whole routing value', async () => {
    const { waitFor, refuse } = await setup();
    const verdict = await refuse({ 'X-Rate-Limit-Type': 'server', 'Retry-After': '7' });
    expect(verdict).toEqual({ retryAfterMs: 7100, limitType: 'server' });
    expect(await waitFor('other')).toBe(7100);
  });

  it('unknown type without Retry-After uses the longer fallback', async () => {
    const { waitFor, refuse } = await setup();
    expect((await refuse({ 'X-Rate-Limit-Type': 'server' }))?.retryAfterMs).toBe(5000);
    expect(await waitFor('other')).toBe(5000);
  });

  it('application without Retry-After uses the fallback', async () => {
    const { waitFor, refuse, limiter } = await setup();
    await refuse({ 'X-Rate-Limit-Type': 'application' });
    expect(limiter.usage()[0]?.blockedForMs).toBe(1000);
    expect(await waitFor('other')).toBe(1000);
  });
});
