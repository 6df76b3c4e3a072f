import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId } from '../../../src/graphql/ids.ts';
import { browserUnavailable, launchChromium } from '../../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type Started, startRiftwatch, stopRiftwatch } from '../../helpers/process.ts';
import { recordProgress, seenProgress } from './progress-recorder.ts';

const run = promisify(execFile);
const TOKEN = 'dashboard-test-token';
const ARTIFACTS = 'test/artifacts';
const unavailable = browserUnavailable();

/** `npm start` on the built-in simulator (no Riot key), with an admin token. */
const start = (db: TestDatabase, port = '0') =>
  startRiftwatch({
    DATABASE_URL: db.url,
    PORT: port,
    RIOT_API_KEY: undefined,
    RIOT_API_BASE_URL: undefined,
    ADMIN_TOKEN: TOKEN,
    LOG_LEVEL: 'info',
  });

const row = (page: Page, execution: number, status?: string) =>
  page.locator(`tr[data-execution="${execution}"]${status ? `[data-status="${status}"]` : ''}`);

// The acceptance test of the dashboard: a person's path through it in a real browser.
describe.skipIf(unavailable !== null)(
  `dashboard in headless Chromium${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let db: TestDatabase;
    let app: Started | undefined;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];
    beforeAll(async () => {
      // The bundle as this checkout's sources make it (postinstall built it at install time).
      await run(process.execPath, ['scripts/build-dashboard.mjs']);
      await mkdir(ARTIFACTS, { recursive: true });
      db = await createTestDatabase();
      app = await start(db);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('request', (request) => {
        if (
          !new URL(request.url()).hostname.startsWith('127.0.0.1') &&
          !request.url().startsWith('data:')
        )
          problems.push(`request elsewhere: ${request.url()}`);
      });
    }, 90_000);
    afterAll(async () => {
      await browser?.close();
      if (app) await stopRiftwatch(app.child);
      await db?.drop();
    });

    it('shows the jobs, triggers the updater with the token, follows its progress to success, opens a player', async () => {
      const base = `http://127.0.0.1:${app?.port}/`;
      await page.goto(base);
      await recordProgress(page);
      const jobs = page.locator('section[aria-labelledby="jobs-title"] tbody tr');
      await expect.poll(() => jobs.count(), { timeout: 15_000 }).toBe(3);
      await page.locator('[data-connection="live"]').waitFor();
      // The first start's updater run (the simulated players tracked at start-up) ends first.
      await row(page, 1, 'success').waitFor({ timeout: 60_000 });

      // Three more players met in those games: the run triggered next has their games to fetch.
      const { rows: met } = await db.sql(
        'SELECT puuid FROM players WHERE NOT is_tracked ORDER BY puuid LIMIT 3',
      );
      for (const { puuid } of met) {
        const tracked = await fetch(`${base}api/v1/players/${puuid}/track`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(tracked.status).toBe(200);
      }

      await page.getByRole('button', { name: 'Trigger Tracked Player Updater' }).click();
      const dialog = page.getByRole('dialog', { name: 'Admin token needed' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('needs the admin token');
      await dialog.getByLabel('Admin token').fill('not-the-token');
      await dialog.getByRole('button', { name: 'Use token' }).click();
      // A wrong token is refused by the server and asked for again.
      await expect.poll(() => dialog.textContent()).toContain('The admin token is not valid');
      await dialog.getByLabel('Admin token').fill(TOKEN);
      await dialog.getByRole('button', { name: 'Use token' }).click();
      const updater = page.locator('tr[data-job="tracked_player_updater"]');
      const triggered = updater.getByRole('status').filter({ hasText: /Run #\d+ triggered/ });
      const runNumber = Number(/#(\d+)/.exec((await triggered.textContent()) ?? '')?.[1]);
      expect(runNumber).toBeGreaterThan(1);
      expect(await page.evaluate(() => sessionStorage.getItem('riftwatch.adminToken'))).toBe(TOKEN);

      await row(page, runNumber, 'success').waitFor({ timeout: 60_000 });
      const seen = await seenProgress(page, globalId('JobExecution', runNumber));
      // The bar moved: several values, never backwards, over the players of the run.
      expect(new Set(seen.map((s) => s.processed)).size).toBeGreaterThanOrEqual(2);
      const { rows: trackedCount } = await db.sql(
        'SELECT count(*)::int AS n FROM players WHERE is_tracked',
      );
      expect(Math.max(...seen.map((s) => s.max))).toBe(trackedCount[0]?.n);
      expect(seen.map((s) => s.processed)).toEqual(
        [...seen.map((s) => s.processed)].sort((a, b) => a - b),
      );
      const { rows } = await db.sql('SELECT api_requests_made FROM job_executions WHERE id = $1', [
        runNumber,
      ]);
      // Duration and counters come with the row read after the final status.
      const cells = () => row(page, runNumber).locator('td').allTextContents();
      await expect.poll(cells).toContain(String(rows[0]?.api_requests_made));
      await expect.poll(async () => (await cells()).join(' ')).toMatch(/\d+\.\d s/);

      // The token is asked for once per tab: the next trigger goes straight through.
      await page.getByRole('button', { name: 'Trigger Player Analyzer' }).click();
      const analyzer = page.locator('tr[data-job="player_analyzer"]');
      await analyzer
        .getByRole('status')
        .filter({ hasText: /Run #\d+ triggered/ })
        .waitFor();
      expect(await dialog.isVisible()).toBe(false);
      await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });

      const tracked = page
        .locator('section[aria-labelledby="tracked-title"] a[data-puuid]')
        .first();
      const puuid = (await tracked.getAttribute('data-puuid')) as string;
      await tracked.click();
      expect(new URL(page.url()).hash).toBe(`#/player/${encodeURIComponent(puuid)}`);
      const { rows: player } = await db.sql(
        `SELECT riot_id, (SELECT count(*)::int FROM match_participants WHERE puuid = $1) AS games
         FROM players WHERE puuid = $1`,
        [puuid],
      );
      await page.getByRole('heading', { level: 1, name: player[0]?.riot_id }).waitFor();
      const matches = page.locator('section[aria-labelledby="matches-title"] tbody tr');
      expect(await matches.count()).toBe(Math.min(20, player[0]?.games));
      await page.locator('section[aria-labelledby="rank-title"]').waitFor();
      await page.locator('section[aria-labelledby="analyses-title"]').waitFor();
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-player.png`, fullPage: true });
      expect(problems).toEqual([]);
    }, 150_000);

    it('reconnects after a server restart and reads again what changed meanwhile', async () => {
      const port = String(app?.port);
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.locator('[data-connection="live"]').waitFor();
      const retention = page.locator('tr[data-job="execution_retention"] td[data-column="active"]');
      expect(await retention.textContent()).toBe('Yes');

      await stopRiftwatch((app as Started).child);
      app = undefined;
      await page.locator('[data-connection="reconnecting"]').waitFor({ timeout: 15_000 });
      // Changed while the dashboard cannot hear about it: only the snapshot read again shows it.
      await db.sql(
        `UPDATE job_configurations SET is_active = false WHERE job_type = 'execution_retention'`,
      );
      app = await start(db, port);
      await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
      await expect.poll(() => retention.textContent(), { timeout: 10_000 }).toBe('No');

      // Subscriptions are back too: a run started from outside the page shows up live.
      const triggered = await fetch(
        `http://127.0.0.1:${port}/api/v1/jobs/player_analyzer/trigger`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}` },
        },
      );
      const { executionId } = (await triggered.json()) as { executionId: number };
      await row(page, executionId, 'success').waitFor({ timeout: 30_000 });
      // Requests meeting the server while it stops (answered 503) and starts fail; nothing else
      // may.
      const restart = /WebSocket|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|status of 503/;
      expect(problems.filter((p) => !restart.test(p))).toEqual([]);
    }, 120_000);
  },
);
