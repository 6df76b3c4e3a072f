import { Worker } from 'node:worker_threads';
import type { RiftwatchPubSub } from '../src/events/pubsub.ts';
import type { GraphQLServer } from '../src/graphql/server.ts';
import { buildApp } from '../src/http/app.ts';
import { silentLogger } from '../src/logger.ts';
import { percentile } from './quota-math.ts';

/**
 * `count` graphql-ws clients (in a worker thread) subscribed to jobProgress on a real server
 * (port 0); `events` progress events are published, each stamped with its publish time; every
 * client's receive time gives one latency sample.
 */
export async function measureFanOut(
  graphql: GraphQLServer,
  pubsub: RiftwatchPubSub,
  options: { count: number; events: number; jobConfigId: number },
) {
  const app = buildApp({
    logger: silentLogger(),
    health: async () => ({}),
    graphql: graphql.mount(),
  });
  const port = await app.start(0, '127.0.0.1');
  const worker = new Worker(new URL('./graphql-subscriber-worker.mjs', import.meta.url), {
    workerData: {
      url: `ws://127.0.0.1:${port}/graphql`,
      count: options.count,
      jobConfigId: options.jobConfigId,
    },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { ready?: boolean }) => m.ready && resolve());
  });
  // Every subscription has read its (empty) current state and listens.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (let n = 0; n < options.events; n++) {
    pubsub.publish('jobProgress', {
      executionId: 1_000_000 + n,
      jobConfigId: options.jobConfigId,
      jobType: 'tracked_player_updater',
      phase: 'bench',
      processed: n,
      total: null,
      apiRequestsMade: 0,
      recordsCreated: 0,
      recordsUpdated: 0,
      // The publish time, which every receiver compares with its clock (one process).
      at: new Date().toISOString(),
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const latencies = await new Promise<number[]>((resolve) => {
    worker.on('message', (m: { latencies?: number[] }) => m.latencies && resolve(m.latencies));
    worker.postMessage({ report: true });
  });
  await worker.terminate();
  await app.stop();
  const received = latencies.length;
  return {
    expected: options.count * options.events,
    received,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
}
