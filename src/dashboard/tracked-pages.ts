// Reading again the tracked players the operator has shown, beyond the first page.
import type { TrackedPage } from './types.ts';

/** The page of tracked players that starts past a cursor. */
export type ReadPage = (after: string) => Promise<TrackedPage>;

/** Rows shown past this many are not read again: they go, and "Show more" reads them on. */
export const MAX_REREAD_ROWS = 500;

/** `first` followed by `next`, as one page read at once would be. */
function joined(first: TrackedPage, next: TrackedPage): TrackedPage {
  const known = new Set(first.edges.map((e) => e.node.puuid));
  return {
    totalCount: next.totalCount,
    pageInfo: next.pageInfo,
    edges: [...first.edges, ...next.edges.filter((e) => !known.has(e.node.puuid))],
  };
}

/**
 * The first page just read, followed by the pages after it until they cover the `shown` rows
 * the list had (at most MAX_REREAD_ROWS): every row then shown is as of now, the way a run or the
 * periodic read left it. A page that cannot be read ends it there; the rows after it go, and
 * "Show more" reads on from there.
 */
export async function withShownPages(
  first: TrackedPage,
  shown: number,
  readPage: ReadPage,
): Promise<TrackedPage> {
  const wanted = Math.min(shown, MAX_REREAD_ROWS);
  let page = first;
  while (page.edges.length < wanted && page.pageInfo.hasNextPage && page.pageInfo.endCursor) {
    let next: TrackedPage;
    try {
      next = await readPage(page.pageInfo.endCursor);
    } catch {
      break;
    }
    const longer = joined(page, next);
    if (longer.edges.length === page.edges.length) break;
    page = longer;
  }
  return page;
}
