import { createLogger } from '../../logger.ts';
import { simulatedWorld } from '../runtime.ts';
import { startSimulator } from './index.ts';

// `npm run simulator`: a local Riot API for the demo and manual runs.
const logger = createLogger(process.env.LOG_LEVEL ?? 'info').child({ component: 'riot-simulator' });
const port = Number(process.env.SIMULATOR_PORT ?? 4010);
const seed = process.env.SIMULATOR_SEED ? Number(process.env.SIMULATOR_SEED) : undefined;
const timeScale = process.env.SIMULATOR_TIME_SCALE ? Number(process.env.SIMULATOR_TIME_SCALE) : 1;
const simulator = await startSimulator({
  port,
  host: process.env.SIMULATOR_HOST ?? '127.0.0.1',
  seed,
  timeScale,
  world: simulatedWorld(),
});
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
