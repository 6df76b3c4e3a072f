import { expect, test } from 'vitest';
import { AsyncQueue } from '../../../src/graphql/async-queue.ts';

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

test('a consumer that stops reading is ended after maxBacklog values, with LIMIT_REACHED', async () => {
  const calls: string[] = [];
  const q = new AsyncQueue<number>(
    { start: () => calls.push('start'), close: () => calls.push('close') },
    3,
  );
  const first = q.next();
  for (let i = 1; i <= 10; i++) q.push(i);
  expect(await first).toEqual({ value: 1, done: false });
  expect(calls).toEqual(['start', 'close']);
  const rest = [await q.next(), await q.next(), await q.next()];
  expect(rest.map((r) => r.value)).toEqual([2, 3, 4]);
  await expect(q.next()).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
  expect(await q.next()).toEqual({ value: undefined, done: true });
});
