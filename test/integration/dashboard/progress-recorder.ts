import type { Page } from 'playwright-core';

type Seen = { id: string; processed: number; max: number };

/**
 * Records every value the page's progress bars show, as they are rendered: a run can be over in a
 * second, faster than a test could look at the bar in turns.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Seen[] = [];
    (window as unknown as { seenProgress: Seen[] }).seenProgress = seen;
    const note = (node: Node) => {
      const bars =
        node instanceof HTMLProgressElement
          ? [node]
          : node instanceof Element
            ? [...node.querySelectorAll('progress')]
            : [];
      for (const bar of bars) {
        seen.push({
          id: bar.id,
          processed: Number(bar.dataset.processed),
          max: bar.max,
        });
      }
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') note(record.target);
        else for (const node of record.addedNodes) note(node);
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-processed', 'max'],
    });
  });
}

/** What the bar of the execution (its global ID) showed, in order. */
export async function seenProgress(page: Page, executionId: string): Promise<Seen[]> {
  const seen = await page.evaluate(
    () => (window as unknown as { seenProgress: Seen[] }).seenProgress,
  );
  return seen.filter((s) => s.id === `progress-${executionId}`);
}
