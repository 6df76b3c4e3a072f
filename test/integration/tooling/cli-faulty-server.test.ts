import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type CliResult, jsonOf, runCli, spawnCli } from './cli.ts';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function listen(server: Server): Promise<string> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Accepts connections and never answers (a frozen server). */
const frozenServer = () => listen(createTcpServer(() => {}));

/** A GraphQL server that answers HTTP with `http` and graphql-ws connections with `ws`. */
async function fakeServer(options: { http?: RequestListener; ws?: (socket: WebSocket) => void }) {
  const server = createHttpServer(options.http);
  const wss = new WebSocketServer({ server, path: '/graphql' });
  wss.on('connection', (socket) => options.ws?.(socket));
  stops.push(() => wss.close());
  return listen(server);
}

type ClientMessage = { type: string; id?: string; payload?: { query?: string } };

/** Acknowledges the connection, then hands each message of the client to `onMessage`. */
const acknowledging =
  (onMessage: (socket: WebSocket, message: ClientMessage) => void = () => {}) =>
  (socket: WebSocket) =>
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      else onMessage(socket, message);
    });

async function timed(run: Promise<CliResult>) {
  const started = Date.now();
  const result = await run;
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

/** Every line of `--json` output parses by itself (NDJSON). */
const ndjsonOf = (r: CliResult) =>
  r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('a server that accepts connections but never answers', () => {
  test('a request gives up after --timeout, naming the URL; exit 1, UNAVAILABLE', async () => {
    const base = await frozenServer();
    const human = await timed(runCli(['jobs', 'list', '--url', base, '--timeout', '1']));
    expect(human.code).toBe(1);
    expect(human.seconds).toBeLessThan(10);
    expect(human.stderr).toContain(`riftwatch at ${base}/graphql did not answer within 1 s`);
    const json = await runCli(['--json', 'status'], {
      RIFTWATCH_URL: base,
      RIFTWATCH_TIMEOUT: '1',
    });
    expect(json.code).toBe(1);
    expect(jsonOf(json).error.code).toBe('UNAVAILABLE');
  });

  test('watch gives up on the WebSocket handshake after --timeout', async () => {
    const base = await frozenServer();
    const r = await timed(runCli(['watch', '--url', base, '--timeout', '1']));
    expect(r.code).toBe(1);
    expect(r.seconds).toBeLessThan(10);
    expect(r.stderr).toContain(`Cannot reach riftwatch at ${base}/graphql`);
  });
});

describe('Ctrl-C on watch ends it at once, whatever the server does', () => {
  const interrupted = async (base: string) => {
    const { child, done } = spawnCli(['watch', '--url', base, '--timeout', '30']);
    const started = Date.now();
    setTimeout(() => child.kill('SIGINT'), 1500);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const r = await done.finally(() => clearTimeout(timer));
    return { ...r, seconds: (Date.now() - started) / 1000 };
  };

  test('during a handshake that never completes', async () => {
    const r = await interrupted(await frozenServer());
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.seconds).toBeLessThan(6);
  });

  test('connected to a server that then stops reading', async () => {
    const frozen = (socket: WebSocket) => {
      socket.once('message', () => {
        socket.send('{"type":"connection_ack"}');
        (socket as unknown as { _socket: { pause(): void } })._socket.pause();
      });
    };
    const r = await interrupted(await fakeServer({ ws: frozen }));
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(r.seconds).toBeLessThan(6);
  });
});

describe('an answer that is not riftwatch GraphQL names the URL and HTTP status, on one line', () => {
  test.each([
    ['a 404 of another path', 404, '{"error":{"code":"NOT_FOUND","message":"Nothing here"}}'],
    ['null', 200, 'null'],
    ['errors without a message', 200, '{"errors":[{}]}'],
    ['an HTML page with escape bytes', 502, '<html>\n\u001b[31mBad gateway\u001b[0m\n</html>'],
  ])('%s', async (_name, status, body) => {
    const base = await fakeServer({ http: (_req, res) => res.writeHead(status).end(body) });
    const r = await runCli(['jobs', 'list', '--url', base]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${base}/graphql answered HTTP ${status}, not riftwatch's GraphQL`);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('\u001b');
  });

  test('a URL ending in /graphql/ is that endpoint', async () => {
    const paths: string[] = [];
    const base = await fakeServer({
      http: (req, res) => {
        paths.push(req.url ?? '');
        res.setHeader('content-type', 'application/json').end('{"data":{"jobs":[]}}');
      },
    });
    await runCli(['jobs', 'list', '--url', `${base}/graphql/`]);
    expect(paths).toEqual(['/graphql']);
  });
});

describe('GraphQL answers that lack what riftwatch always sends: exit 1, naming the URL', () => {
  const answering = (body: string) =>
    fakeServer({
      http: (_req, res) => res.setHeader('content-type', 'application/json').end(body),
    });

  test.each([
    [['jobs', 'list'], '{"data":{"jobs":null}}', 'jobs is null'],
    [['jobs', 'list'], '{"data":{}}', 'jobs is missing'],
    [['jobs', 'list'], '{"data":{"jobs":"none"}}', 'jobs is a string, not an object or a list'],
    [['jobs', 'list'], '{"data":{"jobs":[null]}}', 'jobs[0] is null'],
    [['jobs', 'stats'], '{"data":{"jobStats":null}}', 'jobStats is null'],
    [['executions', 'list'], '{"data":{"jobExecutions":null}}', 'jobExecutions is null'],
    [
      ['executions', 'list'],
      '{"data":{"jobExecutions":{}}}',
      'jobExecutions.totalCount is missing',
    ],
    [['players', 'list'], '{"data":{"players":null}}', 'players is null'],
    [['status'], '{"data":{"statusOverview":null}}', 'statusOverview is null'],
    [['status'], '{"data":{"statusOverview":{"at":"x"}}}', 'statusOverview.scheduler is missing'],
    [['jobs', 'trigger', '1'], '{"data":{"triggerJob":null}}', 'triggerJob is null'],
  ])('%j answered %s', async (args, body, what) => {
    const base = await answering(body);
    const human = await runCli([...args, '--url', base]);
    expect({ code: human.code, stderr: human.stderr }).toEqual({
      code: 1,
      stderr: `error (INTERNAL_SERVER_ERROR): ${base}/graphql answered HTTP 200, not riftwatch's GraphQL: ${what}\n`,
    });
    const json = await runCli(['--json', ...args, '--url', base]);
    expect(json.code).toBe(1);
    expect(jsonOf(json).error.code).toBe('INTERNAL_SERVER_ERROR');
  });

  test('watch: a subscription event without its payload', async () => {
    const base = await fakeServer({
      ws: acknowledging((socket, message) => {
        if (!message.payload?.query?.includes('jobProgress')) return;
        const payload = { data: { jobProgress: null } };
        socket.send(JSON.stringify({ id: message.id, type: 'next', payload }));
      }),
    });
    const r = await runCli(['watch', '--url', base]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error (INTERNAL_SERVER_ERROR): ${base}/graphql sent an event, not riftwatch's GraphQL: jobProgress is null\n`,
    );
    expect(r.stderr).not.toContain('TypeError');
  });

  test('a lookup that finds nothing is null in riftwatch too: not found, exit 3', async () => {
    const base = await answering('{"data":{"jobExecution":null}}');
    const r = await runCli(['executions', 'show', '7', '--url', base]);
    expect(r.code).toBe(3);
  });
});

describe('a gateway or a redirect in front of the server', () => {
  test.each([502, 503, 504])('a gateway answering %i: UNAVAILABLE, exit 1', async (status) => {
    const base = await fakeServer({
      http: (_req, res) => res.writeHead(status).end('<html>Bad gateway</html>'),
    });
    const r = await runCli(['--json', 'jobs', 'list', '--url', base]);
    expect(r.code).toBe(1);
    expect(jsonOf(r).error).toEqual({
      code: 'UNAVAILABLE',
      message: `${base}/graphql answered HTTP ${status}, not riftwatch's GraphQL: <html>Bad gateway</html>`,
    });
  });

  // Followed, a 301 or 302 resends the request as a GET without its query, and one to another
  // host drops the token.
  test.each([301, 302, 307, 308])(
    'HTTP %i is reported with its target, not followed',
    async (status) => {
      const requests: string[] = [];
      const target = await fakeServer({
        http: (req, res) => {
          requests.push(`${req.method} ${req.url}`);
          res.setHeader('content-type', 'application/json').end('{"data":{"jobs":[]}}');
        },
      });
      const base = await fakeServer({
        http: (_req, res) => res.writeHead(status, { location: `${target}/graphql` }).end(),
      });
      const r = await runCli(['--json', 'jobs', 'list', '--url', base]);
      expect(r.code).toBe(1);
      expect(jsonOf(r).error).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
        message: `${base}/graphql answered HTTP ${status}, a redirect to ${target}/graphql: give --url the address riftwatch answers on`,
      });
      expect(requests).toEqual([]);
    },
  );
});

test('a blank RIFTWATCH_URL, ADMIN_TOKEN or RIFTWATCH_TIMEOUT is unset: .env fills it in', async () => {
  const seen: string[] = [];
  const base = await fakeServer({
    http: (req, res) => {
      seen.push(String(req.headers.authorization));
      res.setHeader('content-type', 'application/json').end('{"data":{"jobs":[]}}');
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'riftwatch-cli-env-'));
  stops.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, '.env');
  writeFileSync(file, `RIFTWATCH_URL=${base}\nADMIN_TOKEN=from-the-file\nRIFTWATCH_TIMEOUT=\n`);
  const r = await runCli(['jobs', 'list'], {
    ENV_FILE: file,
    RIFTWATCH_URL: '',
    ADMIN_TOKEN: ' ',
    RIFTWATCH_TIMEOUT: '',
  });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(seen).toEqual(['Bearer from-the-file']);
});

test('spaces around the admin token are not sent, as the server drops them from ADMIN_TOKEN', async () => {
  const seen: string[] = [];
  const base = await fakeServer({
    http: (req, res) => {
      seen.push(String(req.headers.authorization));
      res.setHeader('content-type', 'application/json').end('{"data":{"jobs":[]}}');
    },
  });
  const fromEnv = await runCli(['jobs', 'list', '--url', base], { ADMIN_TOKEN: ' s3cret\t' });
  const given = await runCli(['jobs', 'list', '--url', base, '--token', ' s3cret ']);
  expect([fromEnv.code, given.code]).toEqual([0, 0]);
  expect(seen).toEqual(['Bearer s3cret', 'Bearer s3cret']);
});

test('a token the server can never match is a usage error (exit 2) that does not repeat it', async () => {
  const base = await fakeServer({ http: (_req, res) => res.end('{"data":{"jobs":[]}}') });
  // A line break, beyond Latin-1, a space or a tab, Latin-1: not visible ASCII.
  for (const token of ['s3cret\nnext-line', 'токен', 'two words', 'tab\there', 'café-token']) {
    const r = await runCli(['--json', 'jobs', 'list', '--url', base], { ADMIN_TOKEN: token });
    expect({ token, code: r.code }).toEqual({ token, code: 2 });
    expect(jsonOf(r).error).toEqual({
      code: 'USAGE',
      message: expect.stringMatching(/^ADMIN_TOKEN: The admin token cannot hold /),
    });
    expect(r.stdout + r.stderr).not.toContain(token.slice(0, 5));
  }
  const given = await runCli(['jobs', 'list', '--url', base, '--token', 'two words']);
  expect(given.code).toBe(2);
  expect(given.stderr).toMatch(/^error \(USAGE\): --token: The admin token cannot hold U\+0020/);
});

/** An execution row as riftwatch answers it, every field the CLI asks for. */
const executionRow = (status: string) => ({
  id: Buffer.from('JobExecution:12').toString('base64'),
  databaseId: 12,
  jobId: Buffer.from('Job:1').toString('base64'),
  jobName: 'Player analyzer',
  jobType: 'player_analyzer',
  status,
  trigger: 'manual',
  createdAt: '2026-01-02T03:04:05.678Z',
  startedAt: null,
  completedAt: null,
  durationSeconds: null,
  apiRequestsMade: 0,
  recordsCreated: 0,
  recordsUpdated: 0,
  errorMessage: null,
  workerId: null,
  progress: null,
  heartbeatAt: null,
  log: [],
});

/**
 * A server that queues execution 12 of job 1 and answers reads of it with `read()`: a row, null
 * (gone), or a gateway's 502. Its WebSocket upgrade answers `upgrade` (an HTTP status), or is
 * acknowledged and then says nothing.
 */
async function queuingServer(
  read: () => ReturnType<typeof executionRow> | null | 502 | 503,
  upgrade?: number,
  progress: Record<string, unknown>[] = [],
) {
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      if (query.includes('mutation TriggerJob')) {
        const triggerJob = { __typename: 'ExecutionPayload', execution: executionRow('pending') };
        return res.end(JSON.stringify({ data: { triggerJob } }));
      }
      const row = read();
      if (row === 502) return res.writeHead(502).end('<html>Bad gateway</html>');
      if (row === 503) {
        const errors = [{ message: 'riftwatch is stopping', extensions: { code: 'UNAVAILABLE' } }];
        return res.writeHead(503).end(JSON.stringify({ errors }));
      }
      res.end(JSON.stringify({ data: { jobExecution: row } }));
    });
  });
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    verifyClient: (_info, done) => (upgrade ? done(false, upgrade, 'Refused') : done(true)),
  });
  // The execution's events, as a server sends them: its state, then each change, then the end.
  const events = acknowledging((socket, message) => {
    if (message.type !== 'subscribe' || progress.length === 0) return;
    for (const jobProgress of progress) {
      socket.send(
        JSON.stringify({ id: message.id, type: 'next', payload: { data: { jobProgress } } }),
      );
    }
    socket.send(JSON.stringify({ id: message.id, type: 'complete' }));
  });
  wss.on('connection', events);
  stops.push(() => wss.close());
  return listen(server);
}

describe('jobs trigger --wait once the run is queued', () => {
  test('live progress refused (HTTP 429): the row is read instead, to the end of the run', async () => {
    const base = await queuingServer(() => executionRow('success'), 429);
    const r = await runCli(['jobs', 'trigger', '1', '--wait', '--url', base]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({
      code: 0,
      stdout: 'Execution 12 success in -: 0 created, 0 updated, 0 API requests\n',
    });
    expect(r.stderr).toContain('Queued execution 12 of player_analyzer');
    expect(r.stderr).toMatch(
      /No live progress \(riftwatch at .* refused a live connection \(HTTP 429\)/,
    );
  }, 30_000);

  test('a server stopping after the final event (its requests refused while runs drain): the event tells how the run ended', async () => {
    const event = (status: string) => ({
      executionId: '12',
      jobId: '1',
      jobType: 'player_analyzer',
      status,
      phase: null,
      processed: 0,
      total: null,
      apiRequestsMade: 3,
      recordsCreated: 2,
      recordsUpdated: 1,
      errorMessage: null,
      at: '2026-01-01T00:00:00.000Z',
    });
    const base = await queuingServer(() => 503, undefined, [event('running'), event('success')]);
    const human = await runCli(['jobs', 'trigger', '1', '--wait', '--url', base]);
    expect({ code: human.code, stdout: human.stdout }).toEqual({
      code: 0,
      stdout: 'Execution 12 success in -: 2 created, 1 updated, 3 API requests\n',
    });
    const json = await runCli(['--json', 'jobs', 'trigger', '1', '--wait', '--url', base]);
    expect(json.code).toBe(0);
    expect(jsonOf(json)).toMatchObject({
      executionId: 12,
      execution: { databaseId: 12, status: 'success', recordsCreated: 2 },
    });
  }, 30_000);

  test('a row that is gone ends the wait: exit 3, the execution named', async () => {
    const base = await queuingServer(() => null);
    const r = await runCli(['--json', 'jobs', 'trigger', '1', '--wait', '--url', base]);
    expect(r.code).toBe(3);
    expect(jsonOf(r)).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'Execution 12 no longer exists: its row was deleted',
        executionId: 12,
      },
    });
  }, 30_000);

  test('a server gone for --timeout: the error still names the queued execution', async () => {
    const base = await queuingServer(() => 502, 503);
    const json = await runCli([
      '--json',
      'jobs',
      'trigger',
      '1',
      '--wait',
      '--url',
      base,
      '--timeout',
      '1',
    ]);
    expect(json.code).toBe(1);
    expect(jsonOf(json)).toEqual({
      error: {
        code: 'UNAVAILABLE',
        message: `${base}/graphql answered HTTP 502, not riftwatch's GraphQL: <html>Bad gateway</html>`,
        executionId: 12,
      },
    });
    const human = await runCli(['jobs', 'trigger', '1', '--wait', '--url', base, '--timeout', '1']);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('Queued execution 12 of player_analyzer');
    expect(human.stderr).toMatch(
      /error \(UNAVAILABLE\): .*\n {2}the run was queued as execution 12\n$/,
    );
  }, 30_000);
});

test('watch refused for too many live connections (HTTP 429): LIMIT_REACHED, exit 5', async () => {
  const base = await queuingServer(() => null, 429);
  const r = await runCli(['--json', 'watch', '--url', base]);
  expect(r.code).toBe(5);
  expect(ndjsonOf(r)).toEqual([
    {
      error: {
        code: 'LIMIT_REACHED',
        message: `riftwatch at ${base}/graphql refused a live connection (HTTP 429): too many are open from this address (dashboards, watch, --wait)`,
      },
    },
  ]);
});

describe('watch --json', () => {
  test('a server that stops answering pings ends it: the error is one more JSON line', async () => {
    const base = await fakeServer({ ws: acknowledging() });
    const r = await timed(runCli(['--json', 'watch', '--url', base, '--timeout', '1']));
    expect(r.code).toBe(1);
    expect(r.seconds).toBeLessThan(10);
    expect(ndjsonOf(r)).toEqual([
      {
        error: {
          code: 'UNAVAILABLE',
          message: `Cannot reach riftwatch at ${base}/graphql: no answer to a ping within 1 s`,
        },
      },
    ]);
  });

  test('a server that goes away after an event: the event line, then the error line', async () => {
    const progress = {
      executionId: Buffer.from('JobExecution:1').toString('base64'),
      jobId: Buffer.from('Job:1').toString('base64'),
      jobType: 'player_analyzer',
      status: 'running',
      phase: 'steps',
      processed: 1,
      total: 3,
      apiRequestsMade: 0,
      recordsCreated: 1,
      recordsUpdated: 2,
      errorMessage: null,
      at: '2026-01-02T03:04:05.678Z',
    };
    const base = await fakeServer({
      ws: acknowledging((socket, message) => {
        if (!message.payload?.query?.includes('jobProgress')) return;
        socket.send(
          JSON.stringify({
            id: message.id,
            type: 'next',
            payload: { data: { jobProgress: progress } },
          }),
        );
        setTimeout(() => socket.close(1001, 'Going away'), 100);
      }),
    });
    const r = await runCli(['--json', 'watch', '--url', base]);
    expect(r.code).toBe(1);
    const lines = ndjsonOf(r);
    expect(lines[0]).toEqual({ event: 'progress', data: progress });
    expect(lines.at(-1)).toEqual({
      error: {
        code: 'UNAVAILABLE',
        message: `Cannot reach riftwatch at ${base}/graphql: Going away`,
      },
    });
  });
});

test('--json: an unexpected failure is a JSON error too (INTERNAL), exit 1', async () => {
  // Null below the root fields is not checked: the schema, not the CLI, knows where it may be.
  const page = '{"data":{"jobExecutions":{"totalCount":0,"pageInfo":null,"edges":[]}}}';
  const base = await fakeServer({
    http: (_req, res) => res.setHeader('content-type', 'application/json').end(page),
  });
  const r = await runCli(['--json', 'executions', 'list', '--url', base]);
  expect(r.code).toBe(1);
  expect(jsonOf(r).error).toMatchObject({ code: 'INTERNAL', message: expect.any(String) });
  expect(r.stderr).toMatch(/^error: /);
});
