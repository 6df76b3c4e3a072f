import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';

/** The optional package holding the emulator; kept out of the main install (its own lock file). */
export const EMULATOR_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../optional/mongo-emulator',
);

export const MONGODB_LABEL = 'MongoDB';
/** Emulator results are labelled this way everywhere, so they can never pass for MongoDB's. */
export const EMULATOR_LABEL = 'MongoDB wire-protocol emulator, not MongoDB';

export type MongoServer = {
  /** A `mongodb://` URL; the database is chosen separately, so that each run can take its own. */
  url: string;
  stop(): Promise<void>;
};

export type MongoTarget =
  | { kind: 'mongodb' | 'emulator'; label: string; start(): Promise<MongoServer> }
  | { kind: 'none'; reason: string };

/**
 * Where MongoDB-backed tests run: a real server when MONGODB_URL is set, else the in-process
 * wire-protocol emulator when `optional/mongo-emulator` is installed, else nowhere. Decided
 * synchronously (describe blocks are collected synchronously); nothing starts until `start()`.
 */
export function mongoTarget(env: NodeJS.ProcessEnv = process.env): MongoTarget {
  const url = env.MONGODB_URL?.trim();
  if (url) {
    return { kind: 'mongodb', label: MONGODB_LABEL, start: () => checkRealServer(url) };
  }
  if (existsSync(join(EMULATOR_DIR, 'node_modules/@push.rocks/smartmongo/package.json'))) {
    return { kind: 'emulator', label: EMULATOR_LABEL, start: startEmulator };
  }
  return {
    kind: 'none',
    reason:
      'no MONGODB_URL and optional/mongo-emulator not installed: ' +
      'npm ci --prefix optional/mongo-emulator',
  };
}

/** Refuses an emulator behind MONGODB_URL: its passes would be reported as MongoDB's. */
async function checkRealServer(url: string): Promise<MongoServer> {
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    if (JSON.stringify(info).toLowerCase().includes('congodb')) {
      throw new Error('MONGODB_URL points at the CongoDB emulator, not MongoDB: unset it');
    }
  } finally {
    await client.close();
  }
  return { url, stop: async () => {} };
}

async function startEmulator(): Promise<MongoServer> {
  // An absolute path, not a bare specifier: the package lives outside the main node_modules.
  const entry = pathToFileURL(join(EMULATOR_DIR, 'index.js')).href;
  const emulator: typeof import('../../optional/mongo-emulator/index.js') = await import(
    /* @vite-ignore */ entry
  );
  const server = await emulator.startMongoEmulator();
  // The driver's streaming heartbeat (moreToCome) is something the emulator answers wrongly under
  // load, and a failed heartbeat clears the pool mid-operation: poll instead.
  const url = `${server.uri}${server.uri.includes('?') ? '&' : '?'}serverMonitoringMode=poll`;
  return { url, stop: server.stop };
}

/**
 * `url` with its database replaced by `database`. Credentials keep authenticating where they did:
 * the driver takes authSource from the URL's database unless it is given explicitly.
 */
export function withDatabase(url: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(url);
  if (!match) throw new Error('MONGODB_URL is not a mongodb:// URL');
  const [, base, path, query] = match;
  const params = new URLSearchParams(query ?? '');
  if (base?.includes('@') && !params.has('authSource')) {
    params.set('authSource', path ? decodeURIComponent(path) : 'admin');
  }
  const search = params.toString();
  return `${base}/${database}${search ? `?${search}` : ''}`;
}
