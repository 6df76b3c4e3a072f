import { expect, test, vi } from 'vitest';
import { AsyncQueue } from '../../../src/events/async-queue.ts';

function queue() {
  const calls: string[] = [];
  const q = new AsyncQueue<number>({
    start: () => calls.push('start'),
    close: () => calls.push('close'),
  });
  return { q, calls };
}

test('starts on the first read; values arrive in order, pushed before or during a wait', async () => {
  const { q, calls } = queue();
  q.push(1);
  expect(calls).toEqual([]);
  expect(await q.next()).toEqual({ value: 1, done: false });
  expect(calls).toEqual(['start']);
  const waiting = q.next();
  q.push(2);
  q.push(3);
  expect(await waiting).toEqual({ value: 2, done: false });
  expect(await q.next()).toEqual({ value: 3, done: false });
});

test('end delivers what was pushed, then its error once, then done; closes once', async () => {
  const { q, calls } = queue();
  const seen: unknown[] = [];
  const reading = (async () => {
    try {
      for await (const value of q) seen.push(value);
    } catch (error) {
      seen.push((error as Error).message);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1));
  q.push(1);
  q.push(2);
  q.end(new Error('gone'));
  q.end(new Error('again'));
  q.push(3);
  await reading;
  expect(seen).toEqual([1, 2, 'gone']);
  expect(await q.next()).toEqual({ value: undefined, done: true });
  expect(calls).toEqual(['start', 'close']);
});

test('a pending read ends with done when the queue ends without an error', async () => {
  const { q } = queue();
  const waiting = q.next();
  q.end();
  expect(await waiting).toEqual({ value: undefined, done: true });
});

test('the consumer returning drops what is queued and closes; later pushes are ignored', async () => {
  const { q, calls } = queue();
  q.push(1);
  await q.next();
  q.push(2);
  expect(await q.return()).toEqual({ value: undefined, done: true });
  q.push(3);
  expect(await q.next()).toEqual({ value: undefined, done: true });
  expect(calls).toEqual(['start', 'close']);
});

test('a queue never read is never started, so never closed', async () => {
  const { q, calls } = queue();
  q.end(new Error('before any read'));
  await expect(q.next()).rejects.toThrow('before any read');
  expect(calls).toEqual([]);
});

test('with a backlog: a consumer that stops reading is ended, and what waited for it dropped', async () => {
  const calls: string[] = [];
  const q = new AsyncQueue<number>(
    { start: () => calls.push('start'), close: () => calls.push('close') },
    { size: 3, stallMs: 20 },
  );
  const first = q.next();
  q.push(1);
  expect(await first).toEqual({ value: 1, done: false });
  for (let i = 2; i <= 5; i++) q.push(i);
  // Four wait, read by nobody: still open until stallMs has passed.
  expect(calls).toEqual(['start']);
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(calls).toEqual(['start', 'close']);
  await expect(q.next()).rejects.toMatchObject({
    name: 'SubscriberBehindError',
    code: 'LIMIT_REACHED',
    message: expect.stringContaining('4 events waiting'),
  });
  expect(await q.next()).toEqual({ value: undefined, done: true });
});

test('with a backlog: a burst below ten times its size ends no consumer that goes on reading', async () => {
  const q = new AsyncQueue<number>({ start() {}, close() {} }, { size: 3, stallMs: 20 });
  const seen: number[] = [];
  const reading = (async () => {
    for await (const value of q) {
      seen.push(value);
      // A slow reader: one value per timer tick.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1));
  for (let i = 1; i <= 29; i++) q.push(i);
  await vi.waitFor(() => expect(seen).toHaveLength(29), { timeout: 2000 });
  q.end();
  await reading;
});

test('with a backlog: ten times its size waiting ends the consumer at once', async () => {
  const q = new AsyncQueue<number>({ start() {}, close() {} }, { size: 3, stallMs: 60_000 });
  q.push(0);
  await q.next();
  for (let i = 1; i <= 30; i++) q.push(i);
  await expect(q.next()).rejects.toMatchObject({
    code: 'LIMIT_REACHED',
    message: expect.stringContaining('fell 30 events behind'),
  });
});

test('reads waiting together are answered in order; ending answers them all', async () => {
  const { q } = queue();
  const reads = [q.next(), q.next(), q.next()];
  q.push(1);
  q.push(2);
  q.end(new Error('gone'));
  const settled = await Promise.allSettled(reads);
  expect(
    settled.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
  ).toEqual([{ value: 1, done: false }, { value: 2, done: false }, 'gone']);
});

test('without a backlog, every value waits for the consumer', async () => {
  const { q } = queue();
  for (let i = 0; i < 50_000; i++) q.push(i);
  let count = 0;
  q.end();
  for await (const _ of q) count++;
  expect(count).toBe(50_000);
});
