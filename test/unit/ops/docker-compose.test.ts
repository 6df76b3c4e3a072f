import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../../src/jobs/engine/index.ts';

/** The backend service's block of docker-compose.yml (two-space indented YAML). */
async function backendService(): Promise<string> {
  const text = await readFile('docker-compose.yml', 'utf8');
  const block = /^ {2}backend:\n((?: {4,}.*\n|\s*\n)+)/m.exec(text);
  if (!block?.[1]) throw new Error('docker-compose.yml has no backend service');
  return block[1];
}

describe('docker-compose.yml', () => {
  it("gives the backend's graceful shutdown (drain, abandon grace, save) time before SIGKILL", async () => {
    const grace = /^ {4}stop_grace_period: (\d+)s$/m.exec(await backendService());
    expect(grace, 'backend.stop_grace_period in seconds').not.toBeNull();
    const needed = DEFAULT_TIMINGS.drainMs + DEFAULT_TIMINGS.abandonGraceMs + 2000;
    expect(Number(grace?.[1]) * 1000).toBeGreaterThanOrEqual(needed + 5000);
  });
});
