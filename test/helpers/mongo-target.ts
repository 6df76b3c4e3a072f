import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
    return { kind: 'mongodb', label: MONGODB_LABEL, start: async () => ({ url, stop: async () => {} }) };
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

async function startEmulator(): Promise<MongoServer> {
  // An absolute path, not a bare specifier: the package lives outside the main node_modules.
  const entry = pathToFileURL(join(EMULATOR_DIR, 'index.js')).href;
  const emulator: typeof import('../../optional/mongo-emulator/index.js') = await import(
    /* @vite-ignore */ entry
  );
  const server = await emulator.startMongoEmulator();
  return { url: server.uri, stop: server.stop };
}
