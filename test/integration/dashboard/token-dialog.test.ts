import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserUnavailable } from '../../helpers/browser.ts';
import { dashboardSession, type FakeApi } from './fake-api.ts';
import { execution, graphqlError, overview, playerDetail } from './fixtures.ts';

const unavailable = browserUnavailable();

// The admin token dialog, in headless Chromium over a scripted API that takes the token "right".
describe.skipIf(unavailable !== null)(
  `dashboard token dialog${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const session = dashboardSession();
    let page: Page;
    let api: FakeApi;
    const open = async () => {
      const opened = await session.open(
        (call) => {
          if (call.operation === 'DashboardOverview') return { json: { data: overview() } };
          if (call.operation === 'DashboardPlayer')
            return { json: { data: { player: playerDetail() } } };
          if (call.operation !== 'DashboardTrigger') return 'unreachable';
          return call.authorization === 'Bearer right'
            ? {
                json: {
                  data: { triggerJob: { __typename: 'ExecutionPayload', execution: execution(5) } },
                },
              }
            : graphqlError('This operation needs the admin token', 'UNAUTHENTICATED');
        },
        { width: 1400, height: 1000 },
      );
      page = opened.page;
      api = opened.api;
    };
    const dialog = () => page.getByRole('dialog', { name: 'Admin token needed' });
    const field = () => page.locator('#admin-token');
    const triggers = () => api.calls.filter((c) => c.operation === 'DashboardTrigger').length;
    const ask = async () => {
      await page.getByRole('button', { name: 'Trigger Player Analyzer' }).click();
      await dialog().waitFor();
    };

    it('a token of spaces only is refused as empty, not taken for Cancel', async () => {
      await open();
      await ask();
      await field().fill('   ');
      await dialog().getByRole('button', { name: 'Use token' }).click();
      await dialog()
        .getByRole('alert')
        .filter({ hasText: 'The admin token is empty' })
        .waitFor({ timeout: 5000 });
      expect(await dialog().isVisible()).toBe(true);
      expect(triggers()).toBe(1);
      await field().fill('right');
      await dialog().getByRole('button', { name: 'Use token' }).click();
      await page.getByRole('status').filter({ hasText: 'Run #5 triggered' }).waitFor();
    });

    it('the token typed does not stay in the page once the dialog is closed', async () => {
      await open();
      await ask();
      await field().fill('wrong');
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'hidden' });
      expect(await field().inputValue()).toBe('');
      await ask();
      await field().fill('right');
      await dialog().getByRole('button', { name: 'Use token' }).click();
      await dialog().waitFor({ state: 'hidden' });
      expect(await field().inputValue()).toBe('');
    });

    it('going to another page cancels the question instead of covering that page', async () => {
      await open();
      await ask();
      await field().fill('half-typed');
      await page.evaluate(() => {
        location.hash = '#/player/puuid-0001';
      });
      await page.getByRole('heading', { level: 1, name: 'Player 1#EUW' }).waitFor();
      await dialog().waitFor({ state: 'hidden', timeout: 5000 });
      expect(await field().inputValue()).toBe('');
      expect(await page.evaluate(() => sessionStorage.getItem('riftwatch.adminToken'))).toBeNull();
      expect(triggers()).toBe(1);
    });
  },
);
