import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PlayerRow } from '../../../src/dashboard/types.ts';
import { browserUnavailable } from '../../helpers/browser.ts';
import { type Call, dashboardSession, type FakeApi } from './fake-api.ts';
import { execution, overview, playerRow } from './fixtures.ts';

const unavailable = browserUnavailable();

/** The tracked players a scripted server holds, paged as riftwatch pages them (by cursor). */
function trackedOn(players: PlayerRow[]) {
  return (call: Call) => {
    const from = call.variables.after ? Number(String(call.variables.after).slice(1)) : 0;
    const first = Number(call.variables.first ?? 50);
    const edges = players.slice(from, from + first).map((node) => ({ node }));
    const end = from + edges.length;
    return {
      totalCount: players.length,
      pageInfo: { hasNextPage: end < players.length, endCursor: `c${end}` },
      edges,
    };
  };
}

// The tracked players' list past its first page, in headless Chromium over a scripted API.
describe.skipIf(unavailable !== null)(
  `dashboard tracked players${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const session = dashboardSession();
    let page: Page;
    let api: FakeApi;
    /** 60 tracked players, 50 to a page. */
    const players = () => Array.from({ length: 60 }, (_, i) => playerRow(i));
    /** The page on a server holding `held`, which a test may change as a run would. */
    const open = async (held: PlayerRow[]) => {
      const opened = await session.open(
        (call) => {
          const tracked = trackedOn(held)(call);
          if (call.operation === 'DashboardOverview')
            return { json: { data: overview({ tracked }) } };
          if (call.operation === 'DashboardPlayers')
            return { json: { data: { tracked, recentlyFlaggedPlayers: [] } } };
          if (call.operation === 'DashboardTracked') return { json: { data: { tracked } } };
          if (call.operation === 'DashboardExecution')
            return { json: { data: { jobExecution: execution(3) } } };
          return { json: { data: { jobs: overview().jobs } } };
        },
        { width: 1400, height: 1000 },
      );
      page = opened.page;
      api = opened.api;
    };
    const panel = () => page.locator('section[aria-labelledby="tracked-title"]');
    const rows = () => panel().locator('tbody tr');
    const showAll = async () => {
      await expect.poll(() => rows().count()).toBe(50);
      await panel().getByRole('button', { name: 'Show 10 more' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => rows().count()).toBe(60);
    };

    it('after the last "Show more", keyboard focus is on the first player it added', async () => {
      await open(players());
      await showAll();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-puuid')))
        .toBe('puuid-0050');
      // The next Tab goes on down the list, not back to the top of the page.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-puuid'))).toBe(
        'puuid-0051',
      );
    });

    it('after a run, the players shown past the first page are read again too', async () => {
      const held = players();
      await open(held);
      await showAll();
      // The run updated player 52 and untracked player 55.
      held[52] = playerRow(52, { rank: { tier: 'PLATINUM', division: 'I', leaguePoints: 3 } });
      held.splice(55, 1);
      await page.locator('[data-connection="live"]').waitFor();
      await expect.poll(() => api.subscribed('DashboardStatus')).toBe(1);
      api.push('DashboardStatus', {
        executionStatusChanged: { executionId: 'E3', status: 'success', errorMessage: null },
      });
      await expect.poll(() => rows().count()).toBe(59);
      expect(await panel().locator('h2').textContent()).toBe('Tracked players (59)');
      expect(await panel().getByText('Player 55#EUW').count()).toBe(0);
      const updated = panel().locator('tr', { has: page.locator('[data-puuid="puuid-0052"]') });
      expect(await updated.textContent()).toContain('Platinum I · 3 LP');
    });
  },
);
