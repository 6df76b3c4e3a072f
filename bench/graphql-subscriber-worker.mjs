// The benchmark's graphql-ws clients, in a worker thread: off the server's event loop, as real
// subscribers would be. Plain JavaScript, since a worker does not get tsx's loader. Posts
// { ready } once every client is connected, then, when asked, the latency samples since the last
// report.
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { url, count, jobConfigId } = workerData;
let connected = 0;
const latencies = [];
for (let i = 0; i < count; i++) {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
  client.on('connected', () => {
    connected += 1;
    if (connected === count) parentPort?.postMessage({ ready: true });
  });
  client.subscribe(
    { query: `subscription { jobProgress(jobId: "${jobConfigId}") { at } }` },
    {
      next: (result) => {
        const at = result.data?.jobProgress?.at;
        if (at !== undefined) latencies.push(Date.now() - Date.parse(at));
      },
      error: () => {},
      complete: () => {},
    },
  );
}
// Each report hands over the samples since the last one.
parentPort?.on('message', (message) => {
  if (message.report) parentPort?.postMessage({ latencies: latencies.splice(0) });
});
