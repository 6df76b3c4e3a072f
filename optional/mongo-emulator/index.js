// An in-process MongoDB wire-protocol emulator for tests: CongoDB, a pure-TypeScript
// implementation shipped inside @push.rocks/smartmongo. It is NOT MongoDB: results on it must be
// labelled "MongoDB wire-protocol emulator", never "MongoDB".
import { createServer } from 'node:net';
// The subpath only: the package root also loads mongodb-memory-server and friends.
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

export const EMULATOR_LABEL = 'MongoDB wire-protocol emulator, not MongoDB';

/**
 * Starts an in-memory emulator on 127.0.0.1. CongoServer reports the port it was given, not the one
 * it bound, so a free port is picked first; a lost race for it is retried.
 *
 * @param {{ port?: number }} [options]
 * @returns {Promise<{ uri: string, port: number, stop(): Promise<void> }>}
 */
export async function startMongoEmulator(options = {}) {
  const host = '127.0.0.1';
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host));
    const server = new CongoServer({ port, host });
    try {
      await server.start();
    } catch (error) {
      if (options.port === undefined && error?.code === 'EADDRINUSE' && attempt < 5) continue;
      throw error;
    }
    return { uri: server.getConnectionUri(), port, stop: () => server.stop() };
  }
}

/** @param {string} host @returns {Promise<number>} */
function freePort(host) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
