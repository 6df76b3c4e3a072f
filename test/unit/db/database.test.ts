import { describe, expect, it } from 'vitest';
import { assertPostgresReachable } from '../../../src/db/database.ts';
import { StartupError } from '../../../src/startup-error.ts';

describe('assertPostgresReachable', () => {
  it('names the variable of a URL pg cannot parse, never its password', async () => {
    const error = await assertPostgresReachable(
      'postgresql://u:s3cret@host:notaport/db',
      'JOB_STORE_URL',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe(
      'Cannot connect to PostgreSQL at host:notaport (JOB_STORE_URL): Invalid URL',
    );
  });
});
