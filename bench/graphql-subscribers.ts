import { Worker } from 'node:worker_threads';
import type { RiftwatchPubSub } from '../src/events/pubsub.ts';
import type { GraphQLServer } from '../src/graphql/server.ts';
import { buildApp } from '../src/http/app.ts';
import { silentLogger } from '../src/logger.ts';
import { percentile } from './quota-math.ts';

const stats = (latencies: number[]) => ({
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  max: percentile(latencies, 100),
});

/**
 * `count` graphql-ws clients (in a worker thread) subscribed to jobProgress on a real server
 * (port 0); progress events are published, each stamped with its publish time; every client's
 * receive time gives one latency sample. The first `warmUp` events reach code not yet optimised
 * (70–170 ms to deliver the first to 1,000 subscribers here): the first is reported apart as the
 * cold start, and `events` more are measured after them, as a long-running server sees them.
 */
export async function measureFanOut(
  graphql: GraphQLServer,
  pubsub: RiftwatchPubSub,
  options: { count: number; events: number; warmUp: number; jobConfigId: number },
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
  let published = 0;
  /** Publishes `events` events 250 ms apart, and gives the latencies they got. */
  const publish = async (events: number) => {
    for (let i = 0; i < events; i++) {
      publishOne(published++);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return new Promise<number[]>((resolve) => {
      const take = (m: { latencies?: number[] }) => {
        if (!m.latencies) return;
        worker.off('message', take);
        resolve(m.latencies);
      };
      worker.on('message', take);
      worker.postMessage({ report: true });
    });
  };
  const cold = await publish(1);
  await publish(Math.max(options.warmUp - 1, 0));
  const latencies = await publish(options.events);
  await worker.terminate();
  await app.stop();
  return {
    expected: options.count * options.events,
    received: latencies.length,
    ...stats(latencies),
    cold: { received: cold.length, ...stats(cold) },
  };

  function publishOne(n: number) {
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
  }
}
