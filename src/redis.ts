import type { Redis } from 'ioredis';

/** How long closeRedis lets QUIT wait for Redis before it drops the connection. */
const QUIT_TIMEOUT_MS = 1000;

/** Closes a connection within about QUIT_TIMEOUT_MS, whether Redis is up or not. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    // QUIT is polite, but waits for Redis: bounded, since Redis may go away meanwhile.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.quit().catch(() => {}),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }
  // Not connected (reconnecting, never started) or QUIT timed out: drop the connection and
  // stop reconnecting. Queued commands are rejected, not kept.
  if (client.status !== 'end') client.disconnect();
}

/**
 * Connects `clients` (created with `lazyConnect`), or disconnects them all and rejects with
 * `<who> could not connect to Redis at host:port (REDIS_URL): <reason>` (never the password).
 */
export async function connectRedis(clients: Redis[], redisUrl: string, who: string) {
  try {
    await Promise.all(clients.map((client) => client.connect()));
  } catch (error) {
    for (const client of clients) client.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    const where = `${describeRedis(redisUrl)} (REDIS_URL)`;
    throw new Error(`${who} could not connect to Redis at ${where}: ${reason}`, { cause: error });
  }
}

/** host:port of a Redis URL, without credentials. */
export function describeRedis(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    return `${url.hostname}:${url.port || '6379'}`;
  } catch {
    return '?';
  }
}
