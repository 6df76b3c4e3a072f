import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config.ts';
import { DEFAULT_TIMINGS } from '../../../src/jobs/engine/index.ts';

type Service = {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: unknown;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[]; start_period?: string };
  profiles?: string[];
  stop_grace_period?: string;
  volumes?: Array<string | { type: string; source: string; target: string; read_only?: boolean }>;
};

const compose = parse(await readFile('docker-compose.yml', 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { backend, postgres, mongo, redis } = compose.services;

describe('docker-compose.yml', () => {
  it('runs the backend built from the Dockerfile, configured by an optional .env it reads at every start', () => {
    expect(backend?.build).toBe('.');
    // Not env_file: compose reads that when it creates the container, not on `restart`.
    expect(backend?.env_file).toBeUndefined();
    expect(backend?.volumes).toContainEqual({
      type: 'bind',
      source: '.',
      target: '/app/config',
      read_only: true,
    });
    expect(backend?.environment?.ENV_FILE).toBe('/app/config/.env');
    // The service's own variables are valid riftwatch configuration pointing at the services.
    const config = loadConfig(backend?.environment ?? {}, null);
    expect(config.database.url).toBe(
      'postgresql://riot_api_user:riot_api_password@postgres:5432/riot_api_db',
    );
    expect(config.jobStoreUrl).toMatch(/^mongodb:\/\/mongo:27017\//);
    expect(config.logFormat).toBe('json'); // `docker compose logs backend | grep` reads JSON lines
    expect(backend?.environment?.PORT).toBe('8000');
  });

  it("checks the backend's health on /health with what the image has (node, no curl)", () => {
    const [kind, command, flag, script] = backend?.healthcheck?.test ?? [];
    expect([kind, command, flag]).toEqual(['CMD', 'node', '-e']);
    expect(script).toContain(`http://127.0.0.1:${backend?.environment?.PORT}/health`);
  });

  it('starts the backend once PostgreSQL and MongoDB are healthy, and Redis when its profile is on', () => {
    expect(backend?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      mongo: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy', required: false },
    });
  });

  it("holds the runbook's database: riot_api_user / riot_api_db, on a volume, checked with pg_isready", () => {
    expect(postgres?.environment).toMatchObject({
      POSTGRES_USER: 'riot_api_user',
      POSTGRES_DB: 'riot_api_db',
    });
    expect(postgres?.healthcheck?.test.join(' ')).toContain(
      'pg_isready -U riot_api_user -d riot_api_db',
    );
    expect(postgres?.volumes?.[0]).toMatch(/^postgres-data:/);
  });

  it("keeps Agenda's MongoDB on a volume, checked with a ping", () => {
    expect(mongo?.healthcheck?.test).toEqual([
      'CMD',
      'mongosh',
      '--quiet',
      '--eval',
      "db.adminCommand('ping')",
    ]);
    expect(mongo?.volumes?.[0]).toMatch(/^mongo-data:/);
  });

  it('offers Redis only in the redis profile, with a healthcheck', () => {
    expect(redis?.profiles).toEqual(['redis']);
    expect(redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    for (const [name, service] of Object.entries(compose.services)) {
      if (name !== 'redis') expect(service.profiles, name).toBeUndefined();
    }
    expect(Object.keys(compose.volumes).sort()).toEqual([
      'mongo-data',
      'postgres-data',
      'redis-data',
    ]);
  });

  it("gives the backend's graceful shutdown (drain, abandon grace, save) time before SIGKILL", () => {
    const grace = /^(\d+)s$/.exec(backend?.stop_grace_period ?? '');
    expect(grace, 'backend.stop_grace_period in seconds').not.toBeNull();
    const needed = DEFAULT_TIMINGS.drainMs + DEFAULT_TIMINGS.abandonGraceMs + 2000;
    expect(Number(grace?.[1]) * 1000).toBeGreaterThanOrEqual(needed + 5000);
  });
});
