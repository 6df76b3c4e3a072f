import { z } from 'zod';
import { ConfigError, port, positiveNumber, readEnv, wholeNumber } from '../../env.ts';
import { createLogger } from '../../logger.ts';
import { reasonOf } from '../../startup-error.ts';
import { simulatedWorld } from '../runtime.ts';
import { startSimulator } from './index.ts';

// `npm run simulator`: a local Riot API for the demo and manual runs.

type Settings = { port: number; host: string; seed: number | undefined; timeScale: number };

const settingsSchema = z
  .object({
    SIMULATOR_PORT: port(4010, 'expected a whole number <= 65535'),
    SIMULATOR_HOST: z
      .string()
      .trim()
      .regex(/^[^\s/]+$/, 'expected a host name or IP address')
      .default('127.0.0.1'),
    SIMULATOR_SEED: wholeNumber(0, 2 ** 32 - 1, 'expected a whole number').optional(),
    SIMULATOR_TIME_SCALE: positiveNumber('expected a number > 0, e.g. 0.01').default(1),
  })
  .transform(
    (e): Settings => ({
      port: e.SIMULATOR_PORT,
      host: e.SIMULATOR_HOST,
      seed: e.SIMULATOR_SEED,
      timeScale: e.SIMULATOR_TIME_SCALE,
    }),
  );

/** SIMULATOR_* variables; exits with one line naming every bad one and the form it expects. */
function readSettings(env: NodeJS.ProcessEnv): Settings {
  try {
    return readEnv(settingsSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** Why the server could not listen, naming the variable to change. */
function describeListenFailure(error: unknown, { port, host }: Settings): string {
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (syscall === 'listen' && code === 'EADDRINUSE') {
    return `SIMULATOR_PORT ${port} is already in use: stop the process listening on it, or set SIMULATOR_PORT to a free port`;
  }
  if (syscall === 'listen' && code === 'EACCES') {
    return `SIMULATOR_PORT ${port} cannot be opened (permission denied): set SIMULATOR_PORT to 1024 or above`;
  }
  if (syscall === 'getaddrinfo' || code === 'EADDRNOTAVAIL') {
    return `SIMULATOR_HOST ${JSON.stringify(host)} cannot be listened on: ${reasonOf(error)}`;
  }
  return `Riot API simulator failed to start: ${reasonOf(error)}`;
}

/** One line on stderr, no stack, as riftwatch's own failed start. */
function fail(line: string): never {
  console.error(line.replace(/\s+/g, ' ').trim());
  process.exit(1);
}

const logger = createLogger(process.env.LOG_LEVEL ?? 'info').child({ component: 'riot-simulator' });
const settings = readSettings(process.env);
const simulator = await startSimulator({ ...settings, world: simulatedWorld() }).catch(
  (error: unknown) => fail(describeListenFailure(error, settings)),
);
logger.info(
  {
    baseUrl: simulator.baseUrlTemplate,
    players: simulator.world.players().length,
    matches: simulator.world.matchCount(),
    examples: simulator.world.trackable(5),
  },
  `Riot API simulator listening: RIOT_API_BASE_URL=${simulator.baseUrlTemplate}; use RIOT_API_KEY=${simulator.apiKey}`,
);
const stop = async () => {
  await simulator.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
