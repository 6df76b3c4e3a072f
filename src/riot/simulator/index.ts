import type { AddressInfo } from 'node:net';
import { createFaults, type Faults } from './faults.ts';
import { createLimitEnforcer, DEFAULT_SIMULATOR_LIMITS, type SimulatorLimits } from './limits.ts';
import { createSimulatorServer, type SimulatorStats } from './server.ts';
import { createWorld, type GroundTruth, type World, type WorldOptions } from './world.ts';

export type { Fault, Faults, FaultTarget } from './faults.ts';
export type { SimulatorLimits } from './limits.ts';
export { DEFAULT_SIMULATOR_LIMITS } from './limits.ts';
export type { SimulatorStats } from './server.ts';
export type { GroundTruth, TrackablePlayer, World, WorldOptions } from './world.ts';

export type SimulatorOptions = {
  port?: number;
  host?: string;
  seed?: number;
  /** Real seconds → simulator ms factor for rate-limit windows: 0.01 turns 120 s into 1.2 s. */
  timeScale?: number;
  limits?: SimulatorLimits;
  /** Keep every accepted request's time for `acceptedTimes` (benchmarks); off, only the windows'. */
  recordAccepted?: boolean;
  world?: WorldOptions;
  apiKey?: string;
};

export type Simulator = {
  url: string;
  /** `${url}/{routing}`: the value for RIOT_API_BASE_URL. */
  baseUrlTemplate: string;
  apiKey: string;
  world: World;
  faults: Faults;
  stats(): SimulatorStats;
  /** Times (performance.now ms) of the requests each routing value accepted (`recordAccepted`). */
  acceptedTimes(routing: string): readonly number[];
  groundTruth(): GroundTruth;
  stop(): Promise<void>;
};

const DEFAULT_SIMULATOR_API_KEY = 'RGAPI-00000000-0000-4000-8000-000000000000';

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? options.world?.seed ?? 42;
  const world = createWorld({ ...options.world, seed });
  const faults = createFaults();
  const timeScale = options.timeScale ?? 1;
  const limits = createLimitEnforcer(
    options.limits ?? DEFAULT_SIMULATOR_LIMITS,
    timeScale,
    () => performance.now(),
    { recordAccepted: options.recordAccepted },
  );
  const apiKey = options.apiKey ?? DEFAULT_SIMULATOR_API_KEY;
  const stats: SimulatorStats = {
    requests: 0,
    byStatus: {},
    limitExceeded: { application: 0, method: 0 },
    resets: 0,
  };
  const server = createSimulatorServer({ world, faults, limits, apiKey, stats });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url,
    baseUrlTemplate: `${url}/{routing}`,
    apiKey,
    world,
    faults,
    stats: () => structuredClone(stats),
    acceptedTimes: (routing) => limits.accepted(routing),
    groundTruth: () => world.groundTruth(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
