import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserUnavailable } from '../../helpers/browser.ts';
import { dashboardSession, type FakeApi, type Responder } from './fake-api.ts';
import { execution, overview } from './fixtures.ts';

const unavailable = browserUnavailable();
const BAD_GATEWAY = { text: '<html><body><h1>502 Bad Gateway</h1></body></html>', status: 502 };
const PERIOD = '01:00';

/** Run 3 still running, or over: what the server says, with no event either way. */
const snapshot = (over: boolean) => ({
  json: {
    data: overview({
      jobExecutions: {
        edges: [3, 2, 1].map((n) => ({
          node: execution(n, n === 3 && !over ? { status: 'running', durationSeconds: null } : {}),
        })),
      },
      running: { edges: over ? [] : [{ node: { id: 'E3' } }] },
    }),
  },
});

/** A progress event of run 3, the last it gets: the one saying it ended is lost. */
const progress = {
  jobProgress: {
    executionId: 'E3',
    jobId: 'J-tracked_player_updater',
    jobType: 'tracked_player_updater',
    status: 'running',
    phase: 'updating players',
    processed: 1,
    total: 3,
    apiRequestsMade: 2,
    recordsCreated: 0,
    recordsUpdated: 1,
    errorMessage: null,
    at: new Date().toISOString(),
  },
};

/** Time for a read the page would start to reach the fake API (a read not made shows nothing). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** What `document.visibilityState` says, and the event a browser sends when it changes. */
const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

// The overview read again while no event comes: the page's clock is moved on by a minute at a
// time instead of waiting for it.
describe.skipIf(unavailable !== null)(
  `dashboard reading its snapshot again${unavailable ? ` (skipped: ${unavailable})` : ''}`,
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
    };
    const reads = () => api.calls.filter((c) => c.operation === 'DashboardOverview').length;
    /** The clock moved on, then time for the socket's ping to be answered before it moves again. */
    const advance = async (time: string) => {
      await page.clock.fastForward(time);
      await settle();
    };
    const run3 = (status: string) =>
      page.locator(`tr[data-execution="3"][data-status="${status}"]`);

    it('a run that ended with no event to say so is shown over within a minute', async () => {
      let over = false;
      await open((call) =>
        call.operation === 'DashboardOverview' ? snapshot(over) : 'unreachable',
      );
      await run3('running').waitFor();
      await page.locator('[data-connection="live"]').waitFor();
      await expect.poll(() => api.subscribed('DashboardProgress')).toBeGreaterThan(0);
      api.push('DashboardProgress', progress);
      const bar = page.locator('progress[data-execution="3"]');
      await bar.waitFor();
      over = true;
      await page.clock.fastForward(PERIOD);
      await run3('success').waitFor({ timeout: 5000 });
      await bar.waitFor({ state: 'detached' });
      expect(reads()).toBe(2);
    });

    it('reads nothing more while a read is in flight, nor once the overview is left', async () => {
      let release = () => {};
      await open((call) => {
        if (call.operation !== 'DashboardOverview') return 'unreachable';
        // The second read hangs until released.
        if (reads() !== 2) return snapshot(reads() > 2);
        return new Promise((resolve) => {
          release = () => resolve(snapshot(true));
        });
      });
      await run3('running').waitFor();
      await advance(PERIOD);
      await expect.poll(reads).toBe(2);
      // Short of the 20 s a read is given.
      await advance('00:15');
      expect(reads()).toBe(2);
      release();
      await run3('success').waitFor({ timeout: 5000 });
      await page.clock.fastForward(PERIOD);
      await expect.poll(reads).toBe(3);

      await page.evaluate(() => {
        location.hash = '#/jobs';
      });
      await page.getByRole('heading', { name: 'No such page' }).waitFor();
      await page.clock.fastForward('05:00');
      await settle();
      expect(reads()).toBe(3);
    });

    it('a read never answered is given up after 20 s, shown and retried; the minute goes on', async () => {
      let hang = false;
      await open((call) => {
        if (call.operation !== 'DashboardOverview') return 'unreachable';
        return hang ? new Promise<never>(() => {}) : snapshot(true);
      });
      await run3('success').waitFor();
      hang = true;
      await advance(PERIOD);
      expect(reads()).toBe(2);
      hang = false;
      await advance('00:20');
      const banner = page.locator('.banner');
      await banner
        .filter({ hasText: 'The server did not answer within 20 s' })
        .waitFor({ timeout: 5000 });
      // The retry's read, a second later, clears it; the reads once a minute go on from there.
      await banner.waitFor({ state: 'detached', timeout: 5000 });
      expect(reads()).toBe(3);
      await advance(PERIOD);
      await expect.poll(reads).toBe(4);
    });

    it('a failed periodic read is shown and retried as any other read', async () => {
      let failing = false;
      await open((call) => {
        if (call.operation !== 'DashboardOverview') return 'unreachable';
        return failing ? BAD_GATEWAY : snapshot(true);
      });
      await run3('success').waitFor();
      failing = true;
      await page.clock.fastForward(PERIOD);
      const banner = page.locator('.banner');
      await banner.filter({ hasText: 'HTTP 502' }).waitFor();
      failing = false;
      // The retry's read, a second later, clears it.
      await banner.waitFor({ state: 'detached', timeout: 5000 });
      expect(reads()).toBe(3);
    });

    it('reads nothing while the tab is hidden, and once when it is shown again', async () => {
      let over = false;
      await open((call) =>
        call.operation === 'DashboardOverview' ? snapshot(over) : 'unreachable',
      );
      await run3('running').waitFor();
      await setVisibility(page, 'hidden');
      over = true;
      await page.clock.fastForward('05:00');
      await settle();
      expect(reads()).toBe(1);
      await setVisibility(page, 'visible');
      await run3('success').waitFor({ timeout: 5000 });
      expect(reads()).toBe(2);
    });
  },
);
