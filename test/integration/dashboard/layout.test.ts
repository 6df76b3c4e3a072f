import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserUnavailable } from '../../helpers/browser.ts';
import { dashboardSession, type Responder } from './fake-api.ts';
import {
  execution,
  flaggedPlayer,
  graphqlError,
  overview,
  playerRow,
  trackedPage,
} from './fixtures.ts';

const unavailable = browserUnavailable();

/** Relative luminance and contrast ratio of CSS `rgb(…)` colours, as WCAG defines them. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

// Layout and keyboard use, in headless Chromium over a scripted API: no database, no riftwatch.
describe.skipIf(unavailable !== null)(
  `dashboard layout${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const session = dashboardSession();
    let page: Page;
    const open = async (respond: Responder, viewport = { width: 1400, height: 1000 }) => {
      const opened = await session.open(respond, viewport);
      page = opened.page;
      await page.locator('section[aria-labelledby="jobs-title"] tbody tr').first().waitFor();
      return opened.api;
    };
    const answerOverview: Responder = (call) =>
      call.operation === 'DashboardOverview' ? { json: { data: overview() } } : 'unreachable';

    it('at 360 px the page does not scroll sideways, and Live and Trigger are in view', async () => {
      await open(answerOverview, { width: 360, height: 740 });
      await page.locator('[data-connection="live"]').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        360,
      );
      const badge = await page.locator('[data-connection]').boundingBox();
      expect((badge?.x ?? 0) + (badge?.width ?? 0)).toBeLessThanOrEqual(360);
      // The button shows without scrolling the jobs table sideways.
      const panel = await page.locator('section[aria-labelledby="jobs-title"]').boundingBox();
      const button = await page
        .getByRole('button', { name: 'Trigger Tracked Player Updater' })
        .boundingBox();
      expect((button?.x ?? 0) + (button?.width ?? 0)).toBeLessThanOrEqual(
        (panel?.x ?? 0) + (panel?.width ?? 0),
      );
    });

    it('the primary button is readable in dark mode, and in light mode', async () => {
      await open(answerOverview);
      for (const colorScheme of ['dark', 'light'] as const) {
        await page.emulateMedia({ colorScheme });
        const [fg, bg] = await page.evaluate(() => {
          const button = document.createElement('button');
          button.className = 'primary';
          button.textContent = 'Use token';
          document.body.append(button);
          const style = getComputedStyle(button);
          const colours = [style.color, style.backgroundColor];
          button.remove();
          return colours;
        });
        expect(contrast(fg as string, bg as string), colorScheme).toBeGreaterThanOrEqual(4.5);
      }
    });

    it('a very long error or name wraps in its cell instead of stretching the table', async () => {
      const long = 'x'.repeat(20_000);
      const name = `${'N'.repeat(300)}#EUW`;
      await open((call) =>
        call.operation === 'DashboardOverview'
          ? {
              json: {
                data: overview({
                  jobExecutions: {
                    edges: [{ node: execution(3, { status: 'failed', errorMessage: long }) }],
                  },
                  tracked: {
                    ...trackedPage(0, 1, 1),
                    edges: [{ node: playerRow(1, { riotId: name }) }],
                  },
                  recentlyFlaggedPlayers: [flaggedPlayer(2, { riotId: name })],
                }),
              },
            }
          : 'unreachable',
      );
      await page.locator('tr[data-execution="3"]').waitFor();
      const overflow = (panel: string) =>
        page
          .locator(`section[aria-labelledby="${panel}"]`)
          .evaluate((section) => section.scrollWidth - section.clientWidth);
      for (const panel of ['executions-title', 'tracked-title', 'flagged-title'])
        expect(await overflow(panel), panel).toBeLessThanOrEqual(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        1400,
      );
      // The long error is there to read, in a box of its own.
      const error = page.locator('tr[data-execution="3"] .clipped');
      expect(await error.evaluate((e) => e.scrollHeight > e.clientHeight)).toBe(true);
    });

    it('after the token dialog, keyboard focus is back on the Trigger button', async () => {
      await open(async (call) => {
        if (call.operation === 'DashboardOverview') return { json: { data: overview() } };
        if (call.operation !== 'DashboardTrigger') return 'unreachable';
        // Slow enough for the button to be busy while the dialog closes.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return call.authorization === 'Bearer right'
          ? {
              json: {
                data: {
                  triggerJob: { __typename: 'ExecutionPayload', execution: execution(5) },
                },
              },
            }
          : graphqlError('This operation needs the admin token', 'UNAUTHENTICATED');
      });
      const trigger = page.getByRole('button', { name: 'Trigger Player Analyzer' });
      const dialog = page.getByRole('dialog', { name: 'Admin token needed' });
      const focusedLabel = () =>
        page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

      await trigger.focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(focusedLabel).toBe('Trigger Player Analyzer');

      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.type('right');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Run #5 triggered' }).waitFor();
      expect(await focusedLabel()).toBe('Trigger Player Analyzer');
    });
  },
);
