import { describe, expect, it, vi } from 'vitest';
import { MAX_REREAD_ROWS, withShownPages } from '../../../src/dashboard/tracked-pages.ts';
import type { TrackedPage } from '../../../src/dashboard/types.ts';

const TOTAL = 1000;

/** Players p0000… tracked on the server; a page of `size` starts past cursor `c<n>`. */
const page = (from: number, size = 50): TrackedPage => {
  const to = Math.min(from + size, TOTAL);
  return {
    totalCount: TOTAL,
    pageInfo: { hasNextPage: to < TOTAL, endCursor: `c${to}` },
    edges: Array.from({ length: to - from }, (_, i) => ({
      node: {
        puuid: `p${String(from + i).padStart(4, '0')}`,
        riotId: null,
        platform: 'euw1',
        isFlagged: false,
        rank: null,
        lastUpdated: null,
      },
    })),
  };
};

const reader = () => vi.fn(async (after: string) => page(Number(after.slice(1))));

describe('the tracked players shown, read again', () => {
  it('only the first page when no more was shown', async () => {
    const readPage = reader();
    const first = page(0);
    expect(await withShownPages(first, 50, readPage)).toBe(first);
    expect(await withShownPages(first, 0, readPage)).toBe(first);
    expect(readPage).not.toHaveBeenCalled();
  });

  it('as many rows as were shown, a page at a time, as one page', async () => {
    const readPage = reader();
    const read = await withShownPages(page(0), 120, readPage);
    expect(readPage.mock.calls.map(([after]) => after)).toEqual(['c50', 'c100']);
    expect(read.edges).toHaveLength(150);
    expect(read.edges[149]?.node.puuid).toBe('p0149');
    expect(read.pageInfo).toEqual({ hasNextPage: true, endCursor: 'c150' });
  });

  it('at most MAX_REREAD_ROWS: the rest is left to "Show more"', async () => {
    const readPage = reader();
    const read = await withShownPages(page(0), 900, readPage);
    expect(read.edges).toHaveLength(MAX_REREAD_ROWS);
    expect(read.pageInfo.endCursor).toBe(`c${MAX_REREAD_ROWS}`);
  });

  it('a page that fails ends it there, with the cursor to read on from', async () => {
    const readPage = vi.fn(async (after: string) => {
      if (after === 'c100') throw new Error('The server did not answer within 20 s');
      return page(Number(after.slice(1)));
    });
    const read = await withShownPages(page(0), 200, readPage);
    expect(read.edges).toHaveLength(100);
    expect(read.pageInfo).toEqual({ hasNextPage: true, endCursor: 'c100' });
  });

  it('stops on a page that adds nobody (no loop on a server that repeats itself)', async () => {
    const readPage = vi.fn(async () => page(0));
    const read = await withShownPages(page(0), 200, readPage);
    expect(read.edges).toHaveLength(50);
    expect(readPage).toHaveBeenCalledTimes(1);
  });
});
