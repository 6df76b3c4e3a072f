import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserUnavailable } from '../../helpers/browser.ts';
import { dashboardSession, type FakeApi, type Responder } from './fake-api.ts';
import { overview } from './fixtures.ts';

const unavailable = browserUnavailable();

/** Real time for what the page sends to reach the fake API and back (a pong, a read). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

// A server or network that stops answering without saying so, in headless Chromium over a
// scripted API whose clock the test moves on.
describe.skipIf(unavailable !== null)(
  `dashboard when answers stop coming${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const session = dashboardSession();
    let page: Page;
    let api: FakeApi;
    const open = async (respond: Responder) => {
      const opened = await session.open(respond, { width: 1400, height: 1000 }, '', {
        fakeClock: true,
      });
      page = opened.page;
      api = opened.api;
      await page.locator('[data-connection="live"]').waitFor();
      await expect.poll(() => api.subscribed('DashboardRateLimits')).toBe(1);
    };
    const advance = async (time: string) => {
      await page.clock.fastForward(time);
      await settle();
    };
    const reads = () => api.calls.filter((c) => c.operation === 'DashboardOverview').length;
    const analyzer = () => page.locator('tr[data-job="player_analyzer"]');

    it('a trigger never answered is given up after 20 s, and the button works again', async () => {
      await open((call) => {
        if (call.operation === 'DashboardOverview') return { json: { data: overview() } };
        return call.operation === 'DashboardTrigger' ? new Promise<never>(() => {}) : 'unreachable';
      });
      const button = page.getByRole('button', { name: 'Trigger Player Analyzer' });
      await button.click();
      await expect.poll(() => button.textContent()).toContain('Triggering…');
      await advance('00:20');
      await analyzer()
        .getByRole('alert')
        .filter({ hasText: 'The server did not answer within 20 s' })
        .waitFor({ timeout: 5000 });
      expect((await button.textContent())?.trim()).toBe('Trigger');
      expect(await button.getAttribute('aria-disabled')).toBeNull();
      await button.click();
      await expect
        .poll(() => api.calls.filter((c) => c.operation === 'DashboardTrigger').length)
        .toBe(2);
    });

    it('a socket gone silent is dropped within seconds, opened again, and the snapshot read again', async () => {
      await open(() => ({ json: { data: overview() } }));
      expect(api.opened()).toBe(1);
      expect(reads()).toBe(1);
      // No pong, no close: a network that vanished. The next ping (10 s after the last pong)
      // waits 5 s for its answer.
      api.silence();
      await advance('00:10');
      await advance('00:05');
      // The first retry waits a quarter of a second.
      await advance('00:01');
      await expect.poll(() => api.opened()).toBe(2);
      await page.locator('[data-connection="live"]').waitFor();
      await expect.poll(reads).toBe(2);
    });

    it('a subscription made again is no sign the server is back: "cannot be reached" stays', async () => {
      let down = false;
      await open((call) =>
        !down && call.operation === 'DashboardOverview'
          ? { json: { data: overview() } }
          : 'unreachable',
      );
      down = true;
      await page.getByRole('button', { name: 'Trigger Player Analyzer' }).click();
      const alert = analyzer().getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('The server cannot be reached');
      // One subscription ends with an error over a socket that stays up, and is made again 3 s
      // later; what it missed is read again (and cannot be, the server being down).
      const readsBefore = reads();
      api.fail('DashboardRateLimits', 'Too far behind');
      await advance('00:03');
      await expect.poll(() => api.subscribed('DashboardRateLimits')).toBe(1);
      await expect.poll(reads).toBeGreaterThan(readsBefore);
      await settle();
      expect(await alert.count()).toBe(1);
      expect(await alert.textContent()).toContain('The server cannot be reached');
      // The socket back after a disconnect is.
      api.dropSocket();
      await advance('00:01');
      await alert.waitFor({ state: 'detached', timeout: 5000 });
    });
  },
);
