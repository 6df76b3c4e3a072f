import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../src/http/app.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { restCall, snapshot, startTooling, TOKEN, type Tooling } from './harness.ts';

let db: TestDatabase;
let t: Tooling;
beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTooling(db);
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

const call = (method: string, path: string, body?: string, token?: string | null) =>
  restCall(t.base, method, path, body, token);

/** The status line of a request sent as raw bytes on `port` (targets fetch would not send). */
function rawStatus(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let received = '';
    socket.on('data', (chunk) => {
      received += String(chunk);
      const end = received.indexOf('\r\n');
      if (end >= 0) {
        resolve(received.slice(0, end));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

// First: the triggers further down leave runs that would change the snapshots.
describe('hostile path segments', () => {
  test('an id with surrounding whitespace is 400 INVALID_INPUT saying so; nothing changes', async () => {
    const id = await t.jobId('player_analyzer');
    const puuid = 'B'.repeat(78);
    const before = await snapshot(db);
    const refused: [string, string, string | undefined][] = [
      ['GET', `/api/v1/jobs/%20${id}`, undefined],
      ['PATCH', `/api/v1/jobs/${id}%20`, JSON.stringify({ isActive: false })],
      ['POST', `/api/v1/jobs/%09${id}/trigger`, undefined],
      ['PATCH', '/api/v1/jobs/%20player_analyzer', JSON.stringify({ isActive: false })],
      ['GET', '/api/v1/executions/%201', undefined],
      ['POST', `/api/v1/players/%20${puuid}/track`, undefined],
      ['DELETE', `/api/v1/players/${puuid}%0A/track`, undefined],
      ['GET', '/api/v1/jobs/%20', undefined],
    ];
    for (const [method, path, body] of refused) {
      const r = await call(method, path, body);
      expect({ path, status: r.status, code: r.json.error.code }).toEqual({
        path,
        status: 400,
        code: 'INVALID_INPUT',
      });
      expect(r.json.error.message).toMatch(
        /^Invalid \w+ ".*": expected no surrounding whitespace$/s,
      );
    }
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('hostile bodies', () => {
  test('JSON nested 20,000 deep is 400 INVALID_INPUT, with or without a token; nothing changes', async () => {
    const id = await t.jobId('player_analyzer');
    const deep = `{"config":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const before = await snapshot(db);
    for (const token of [null, TOKEN]) {
      const r = await call('PATCH', `/api/v1/jobs/${id}`, deep, token);
      expect({ status: r.status, code: r.json.error.code }).toEqual({
        status: 400,
        code: 'INVALID_INPUT',
      });
    }
    expect(await snapshot(db)).toEqual(before);
  });

  test('a body over 64 KB is 413', async () => {
    const id = await t.jobId('player_analyzer');
    const r = await call('PATCH', `/api/v1/jobs/${id}`, JSON.stringify({ x: 'y'.repeat(70_000) }));
    expect({ status: r.status, code: r.json.error.code }).toEqual({
      status: 413,
      code: 'INVALID_INPUT',
    });
  });

  test('the path names the job: a jobId in the body is refused, and no job changes', async () => {
    const id = await t.jobId('player_analyzer');
    const other = await t.jobId('execution_retention');
    const before = await snapshot(db);
    const r = await call(
      'PATCH',
      `/api/v1/jobs/${id}`,
      JSON.stringify({ jobId: String(other), isActive: false }),
    );
    expect({ status: r.status, code: r.json.error.code }).toEqual({
      status: 400,
      code: 'INVALID_INPUT',
    });
    expect(r.json.error.message).toContain('"jobId"');
    expect(await snapshot(db)).toEqual(before);
  });

  test('a body a path does not take is refused before anything runs', async () => {
    const id = await t.jobId('player_analyzer');
    const puuid = 'B'.repeat(78);
    const before = await snapshot(db);
    const refused: [string, string, string][] = [
      ['POST', `/api/v1/jobs/${id}/trigger`, JSON.stringify({ jobId: '3' })],
      ['POST', `/api/v1/jobs/${id}/trigger`, '[1, 2]'],
      ['POST', `/api/v1/jobs/${id}/trigger`, '"x"'],
      ['POST', '/api/v1/executions/1/cancel', JSON.stringify({ force: true })],
      ['POST', `/api/v1/players/${puuid}/track`, '[1]'],
      ['POST', `/api/v1/players/${puuid}/track?platform=kr`, JSON.stringify({ platform: 'euw1' })],
      ['POST', `/api/v1/players/${puuid}/track?platform=kr&platform=euw1`, ''],
    ];
    for (const [method, path, body] of refused) {
      const r = await call(method, path, body);
      expect({ path, body, status: r.status, code: r.json.error.code }).toEqual({
        path,
        body,
        status: 400,
        code: 'INVALID_INPUT',
      });
    }
    expect(await snapshot(db)).toEqual(before);
    // What HTTP libraries send for no body is no body.
    for (const body of ['{}', 'null']) {
      expect((await call('POST', `/api/v1/jobs/${id}/trigger`, body)).status).toBe(202);
    }
  });
});

describe('hostile URLs', () => {
  test('a forged execution cursor is 400, whatever it decodes to', async () => {
    for (const forged of ['GPC:S:abc', 'GPC:O:{"a":1}', 'GPC:N:1e400', 'GPC:N:99999999999']) {
      const after = Buffer.from(forged).toString('base64');
      const r = await call('GET', `/api/v1/executions?after=${encodeURIComponent(after)}`);
      expect({ forged, status: r.status, code: r.json.error.code }).toEqual({
        forged,
        status: 400,
        code: 'INVALID_INPUT',
      });
    }
  });

  test('a target other than one path is 400: `//host/path` reaches nothing', async () => {
    for (const target of ['//evil/api/v1/jobs', '//evil/health', '//[', 'http://[/', '*']) {
      const status = await rawStatus(t.port, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect({ target, status }).toEqual({ target, status: 'HTTP/1.1 400 Bad Request' });
    }
    // The absolute form is a path too.
    const absolute = await rawStatus(t.port, 'GET http://x/health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(absolute).toBe('HTTP/1.1 200 OK');
  });

  test('a method a path does not take is 405, naming the ones it does', async () => {
    const cases: [string, string, string][] = [
      // `stats` also fits /jobs/{job_id}, which takes PATCH: not this path.
      ['PATCH', '/api/v1/jobs/stats', 'GET, HEAD'],
      ['PUT', '/api/v1/jobs/stats', 'GET, HEAD'],
      ['POST', '/docs', 'GET, HEAD'],
      ['DELETE', '/docs/openapi.json', 'GET, HEAD'],
      ['POST', '/health', 'GET, HEAD'],
      ['PUT', '/health', 'GET, HEAD'],
      ['POST', '/metrics', 'GET, HEAD'],
      ['DELETE', '/metrics', 'GET, HEAD'],
      ['POST', '/', 'GET, HEAD'],
      ['PUT', '/dashboard/app-AAAAAAAA.js', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const r = await call(method, path);
      expect({
        method,
        path,
        status: r.status,
        allow: r.headers.get('allow'),
        code: r.json?.error?.code,
      }).toEqual({ method, path, status: 405, allow, code: 'METHOD_NOT_ALLOWED' });
    }
  });

  test('HEAD answers as GET does, without the body', async () => {
    for (const path of ['/health', '/api/v1/jobs', '/docs', '/docs/openapi.json', '/metrics']) {
      const r = await call('HEAD', path);
      expect({ path, status: r.status, text: r.text }).toEqual({ path, status: 200, text: '' });
    }
  });
});

test('a client that sends its headers too slowly is answered 408 and let go', async () => {
  const app = buildApp({
    logger: silentLogger(),
    health: async () => ({}),
    timeouts: { headersMs: 200, requestMs: 400, checkEveryMs: 50 },
  });
  const port = await app.start(0, '127.0.0.1');
  try {
    const started = Date.now();
    // Never finishes its headers.
    const status = await rawStatus(port, 'GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(status).toBe('HTTP/1.1 408 Request Timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await app.stop();
  }
});
