import { afterAll, beforeAll, expect, test } from 'vitest';
import { OVERVIEW, PLAYERS, TRACKED_PLAYERS } from '../../../src/dashboard/documents.ts';
import { TRACKED_PAGE_SIZE } from '../../../src/dashboard/state.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { type GraphQLResult, startGraphQL } from '../graphql/harness.ts';

let db: TestDatabase;
let g: Awaited<ReturnType<typeof startGraphQL>>;
beforeAll(async () => {
  db = await createTestDatabase();
  // More tracked players than a page.
  await db.sql(
    `INSERT INTO players (puuid, platform, is_tracked, riot_id)
     SELECT 'dash-' || lpad(n::text, 3, '0'), 'euw1', true, 'P' || n || '#EUW'
     FROM generate_series(1, 60) AS n`,
  );
  g = await startGraphQL(db, { schedulerEnabled: false });
});
afterAll(async () => {
  await g?.stop();
  await db?.drop();
});

type Page = {
  edges: unknown[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string };
};

const ok = (result: GraphQLResult) => {
  expect(result.errors ?? []).toEqual([]);
  return result.data as Record<string, Page | undefined>;
};

// The dashboard's reads, sent as it sends them: within the server's complexity and page limits.
test('the overview, and the tracked players page after page', async () => {
  // No variables: each has its page size by default (bench/read-paths.ts sends them so too).
  const overview = ok(await g.gql(OVERVIEW, {}, { token: null }));
  const tracked = overview.tracked;
  expect(tracked?.edges).toHaveLength(TRACKED_PAGE_SIZE);
  expect(tracked?.totalCount).toBeGreaterThanOrEqual(60);
  expect(tracked?.pageInfo.hasNextPage).toBe(true);
  const next = ok(
    await g.gql(TRACKED_PLAYERS, { after: tracked?.pageInfo.endCursor }, { token: null }),
  );
  expect(next.tracked?.edges.length).toBe((tracked?.totalCount ?? 0) - TRACKED_PAGE_SIZE);
  ok(await g.gql(PLAYERS, {}, { token: null }));
});
