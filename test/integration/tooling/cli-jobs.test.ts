import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { executionWithStatus, waitFor } from '../jobs/engine-harness.ts';
import { jsonOf, type Loose, runCli, runInTerminal, spawnCli } from './cli.ts';
import { startTooling, TOKEN, type Tooling } from './harness.ts';

let db: TestDatabase;
let t: Tooling;
let env: Record<string, string>;
beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTooling(db);
  env = { RIFTWATCH_URL: t.base, ADMIN_TOKEN: TOKEN };
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

const cli = (...args: string[]) => runCli(args, env);
const exec = promisify(execFile);

test('jobs list: a table, or the REST body with --json', async () => {
  const human = await cli('jobs', 'list');
  expect(human.code).toBe(0);
  for (const type of ['tracked_player_updater', 'player_analyzer', 'execution_retention']) {
    expect(human.stdout).toContain(type);
  }
  expect(human.stdout).toMatch(/ID.*TYPE.*NAME.*ACTIVE.*SCHEDULE.*LAST RUN.*NEXT RUN/);
  const json = jsonOf(await cli('--json', 'jobs', 'list'));
  const rest = await (await fetch(`${t.base}/api/v1/jobs`)).json();
  expect(json).toEqual(rest);
  expect(Object.keys(json.jobs[0]).sort()).toEqual([
    'config',
    'configError',
    'databaseId',
    'id',
    'isActive',
    'jobType',
    'lastRun',
    'name',
    'nextRunAt',
    'runningExecutionId',
    'schedule',
    'scheduleDescription',
  ]);
});

describe('jobs trigger', () => {
  test('queues a run and prints its id (by type or by id)', async () => {
    await t.setSleepy('player_analyzer', { steps: 1 });
    const human = await cli('jobs', 'trigger', 'player_analyzer');
    expect(human.code).toBe(0);
    const id = Number(/Queued execution (\d+) of player_analyzer/.exec(human.stdout)?.[1]);
    await executionWithStatus(db, id, 'success', 10_000, 'human trigger');
    const json = jsonOf(
      await cli('--json', 'jobs', 'trigger', String(await t.jobId('player_analyzer'))),
    );
    expect(json).toMatchObject({
      executionId: expect.any(Number),
      execution: { trigger: 'manual', jobType: 'player_analyzer' },
    });
    await executionWithStatus(db, json.executionId, 'success', 10_000, 'json trigger');
  });

  test('--wait follows the progress and exits 0 on success, with the final execution', async () => {
    await t.setSleepy('player_analyzer', { sleep_ms: 600, steps: 3 });
    const r = await cli('jobs', 'trigger', 'player_analyzer', '--wait');
    expect(r.code).toBe(0);
    for (const step of ['steps 1/3', 'steps 2/3', 'steps 3/3']) expect(r.stderr).toContain(step);
    expect(r.stdout).toMatch(/Execution \d+ success in [\d.]+ s: 3 created, 6 updated/);
    const json = await cli('--json', 'jobs', 'trigger', 'player_analyzer', '--wait');
    expect(json.code).toBe(0);
    expect(jsonOf(json).execution).toMatchObject({ status: 'success', recordsCreated: 3 });
    expect(json.stderr).toBe('');
  });

  test('--wait exits 1 when the run fails, and when it is cancelled', async () => {
    await t.setSleepy('player_analyzer', { steps: 1, fail_with: 'upstream broke' });
    const failed = await cli('--json', 'jobs', 'trigger', 'player_analyzer', '--wait');
    expect(failed.code).toBe(1);
    expect(jsonOf(failed).execution).toMatchObject({
      status: 'failed',
      errorMessage: 'upstream broke',
    });

    await t.setSleepy('player_analyzer', { sleep_ms: 20_000, steps: 100 });
    const waiting = spawnCli(['--json', 'jobs', 'trigger', 'player_analyzer', '--wait'], env);
    const running = await waitFor(async () => {
      const { rows } = await db.sql(`SELECT id FROM job_executions WHERE status = 'running'`);
      return rows[0]?.id as number | undefined;
    });
    const cancel = await cli('--json', 'jobs', 'cancel', String(running));
    expect(jsonOf(cancel)).toMatchObject({
      previousStatus: 'running',
      execution: { status: 'cancelled' },
    });
    const done = await waiting.done;
    expect(done.code).toBe(1);
    expect(jsonOf(done).execution).toMatchObject({ databaseId: running, status: 'cancelled' });

    const again = await cli('--json', 'jobs', 'cancel', String(running));
    expect(again.code).toBe(5);
    expect(jsonOf(again).error.code).toBe('CONFLICT');
    expect((await cli('jobs', 'cancel', '424242')).code).toBe(3);
  });

  test('--wait at a terminal draws a progress bar', async () => {
    await t.setSleepy('player_analyzer', { sleep_ms: 400, steps: 2 });
    const r = await runInTerminal('node bin/riftwatch.js jobs trigger player_analyzer --wait', env);
    expect(r.code).toBe(0);
    expect(r.output).toContain('█');
    expect(r.output).toMatch(/100% \| steps 2\/2 \| success/);
  });

  test('--json --wait at a terminal: the JSON answer, no progress bar', async () => {
    await t.setSleepy('player_analyzer', { sleep_ms: 400, steps: 2 });
    const r = await runInTerminal(
      'node bin/riftwatch.js --json jobs trigger player_analyzer --wait',
      env,
    );
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/"status": "success"/);
    expect(r.output).not.toContain('█');
    expect(r.output).not.toContain('\u001b[?25l');
  });

  test('Ctrl-C on --wait at a terminal: the cursor and line wrap are back, exit 130, the run goes on', async () => {
    await t.setSleepy('player_analyzer', { sleep_ms: 20_000, steps: 100 });
    const r = await runInTerminal(
      'timeout --preserve-status -s INT 4 node bin/riftwatch.js jobs trigger player_analyzer --wait',
      env,
    );
    expect(r.code).toBe(130);
    // The bar hid the cursor (ESC[?25l) and turned line wrap off (ESC[?7l): both turned back on.
    for (const [off, on] of [
      ['\u001b[?25l', '\u001b[?25h'],
      ['\u001b[?7l', '\u001b[?7h'],
    ] as const) {
      expect(r.output).toContain(off);
      expect(r.output.lastIndexOf(on)).toBeGreaterThan(r.output.lastIndexOf(off));
    }
    const id = Number(/Queued execution (\d+)/.exec(r.output)?.[1]);
    expect(r.output).toContain('error (INTERRUPTED): Stopped waiting (SIGINT): the run goes on');
    expect(r.output).toContain(`the run was queued as execution ${id}`);
    const { rows } = await db.sql('SELECT status FROM job_executions WHERE id = $1', [id]);
    expect(rows[0]?.status).toBe('running');
    expect((await cli('jobs', 'cancel', String(id))).code).toBe(0);
    await executionWithStatus(db, id, 'cancelled', 10_000, 'cancelled after Ctrl-C');
  });

  test('NO_COLOR at a terminal: no colour anywhere, tables included', async () => {
    const plain = await runInTerminal('node bin/riftwatch.js jobs list', env);
    expect(plain.code).toBe(0);
    expect(plain.output).toContain('player_analyzer');
    expect(plain.output).not.toContain('\u001b[');
    const colored = await runInTerminal('node bin/riftwatch.js jobs list', {
      ...env,
      NO_COLOR: undefined,
    });
    expect(colored.output).toContain('\u001b[');
  });

  test('an unknown job is exit 3; without the token exit 4; nothing is queued', async () => {
    const before = await db.sql('SELECT count(*)::int AS n FROM job_executions');
    const unknown = await cli('--json', 'jobs', 'trigger', 'no_such_job');
    expect({ code: unknown.code, error: jsonOf(unknown).error.code }).toEqual({
      code: 3,
      error: 'NOT_FOUND',
    });
    const noToken = await runCli(['--json', 'jobs', 'trigger', 'player_analyzer'], {
      RIFTWATCH_URL: t.base,
    });
    expect({ code: noToken.code, error: jsonOf(noToken).error.code }).toEqual({
      code: 4,
      error: 'UNAUTHENTICATED',
    });
    const wrong = await runCli(['jobs', 'trigger', '1', '--token', 'nope'], {
      RIFTWATCH_URL: t.base,
    });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/UNAUTHENTICATED/);
    expect((await db.sql('SELECT count(*)::int AS n FROM job_executions')).rows).toEqual(
      before.rows,
    );
    // A token kept in the server's .env (ENV_FILE, as in the Docker stack) is the CLI's too.
    const dir = await mkdtemp(join(tmpdir(), 'rw-cli-env-'));
    await writeFile(join(dir, '.env'), `ADMIN_TOKEN=${TOKEN}\nRIFTWATCH_URL=${t.base}\n`);
    const fromFile = await runCli(['--json', 'jobs', 'trigger', 'player_analyzer'], {
      ENV_FILE: join(dir, '.env'),
    });
    expect(fromFile.code).toBe(0);
    const wrongToo = await runCli(['--json', 'jobs', 'trigger', '1', '--token', 'nope'], {
      ENV_FILE: join(dir, '.env'),
    });
    // The command line wins over the file.
    expect(wrongToo.code).toBe(4);
    await rm(dir, { recursive: true, force: true });
  });
});

test('piped into a reader that stops early (| head -1): no EPIPE stack, the pipeline succeeds', async () => {
  for (let i = 0; i < 3; i++) {
    const { stderr } = await exec(
      'sh',
      ['-c', 'node bin/riftwatch.js status | head -1 > /dev/null; sleep 0.5'],
      { env: { ...process.env, RIFTWATCH_URL: t.base, NO_COLOR: '1' } },
    );
    expect(stderr).toBe('');
  }
});

test('jobs configure: active flag, schedule and --set keys merged; bad input exit 2', async () => {
  const r = await cli(
    '--json',
    'jobs',
    'configure',
    'tracked_player_updater',
    '--inactive',
    '--schedule',
    '300',
    '--set',
    'sleep_ms=5',
    '--set',
    'note=hi',
  );
  expect(r.code).toBe(0);
  expect(jsonOf(r).job).toMatchObject({
    isActive: false,
    schedule: '300',
    config: { sleep_ms: 5, note: 'hi' },
  });
  const row = await db.sql(
    `SELECT is_active, schedule, config_json FROM job_configurations WHERE job_type = 'tracked_player_updater'`,
  );
  expect(row.rows[0]).toMatchObject({
    is_active: false,
    schedule: '300',
    config_json: { sleep_ms: 5, note: 'hi' },
  });

  const human = await cli('jobs', 'configure', 'tracked_player_updater', '--active');
  expect(human.code).toBe(0);
  expect(human.stdout).toContain('every 300 s');
  for (const args of [
    ['--active', '--inactive'],
    [],
    ['--set', 'novalue'],
    ['--schedule', 'when pigs fly'],
  ]) {
    const bad = await cli('jobs', 'configure', 'tracked_player_updater', ...args);
    expect({ args, code: bad.code }).toEqual({ args, code: 2 });
  }
  expect((await cli('jobs', 'configure', '999', '--active')).code).toBe(3);
});

test('jobs configure --replace without --set resets the config to the defaults', async () => {
  const job = 'execution_retention';
  await cli('jobs', 'configure', job, '--set', 'sleep_ms=5');
  const r = await cli('--json', 'jobs', 'configure', job, '--active', '--replace');
  expect(r.code).toBe(0);
  expect(jsonOf(r).job).toMatchObject({ isActive: true, config: {} });
  const row = await db.sql('SELECT config_json FROM job_configurations WHERE job_type = $1', [job]);
  expect(row.rows[0]?.config_json).toEqual({});
  const help = await cli('jobs', 'configure', '--help');
  expect(help.stdout.replace(/\s+/g, ' ')).toContain(
    'without --set, the config is reset to the defaults',
  );
});

test('jobs configure: each validation issue is printed once, one per line under the message', async () => {
  const args = ['configure', 'player_analyzer', '--set', 'sleep_ms=slow', '--set', 'steps=1.5'];
  const human = await cli('jobs', ...args);
  expect(human.code).toBe(2);
  const lines = human.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe('error (INVALID_INPUT): Validation error');
  expect(lines.slice(1).sort()).toEqual([
    expect.stringMatching(/^ {2}input\.config\.sleep_ms: .*expected number/),
    expect.stringMatching(/^ {2}input\.config\.steps: /),
  ]);
  // --json keeps the server's message and the issues as they are.
  const json = await cli('--json', 'jobs', ...args);
  expect(json.code).toBe(2);
  expect(jsonOf(json).error).toMatchObject({
    code: 'INVALID_INPUT',
    message: expect.stringMatching(/^Validation error: input\.config\./),
    issues: [expect.any(Object), expect.any(Object)],
  });
});

test('jobs stats: per job type', async () => {
  const r = jsonOf(await cli('--json', 'jobs', 'stats', '--since', '1h'));
  const analyzer = r.stats.find((s: Loose) => s.jobType === 'player_analyzer');
  expect(analyzer).toMatchObject({ successful: expect.any(Number), failed: 1 });
  expect(analyzer.totalExecutions).toBeGreaterThanOrEqual(5);
  expect((await cli('jobs', 'stats')).stdout).toMatch(/player_analyzer/);
});
