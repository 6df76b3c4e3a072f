import { type Backlog, SubscriberBehindError } from './backlog.ts';

type Waiter<T> = { resolve(result: IteratorResult<T>): void; reject(error: unknown): void };

/**
 * An async iterator fed by `push`, for one consumer. It starts on the first `next()` and closes
 * (`close`, once, if it started) when it is ended or its consumer returns. graphql-yoga's
 * Repeater does the same with back pressure that these pushes do not use, at about thirty times
 * the cost per value: with 1,000 subscribers, a sizable share of delivering one event. Without a
 * `backlog`, values wait for the consumer without bound; with one, a consumer that stopped
 * reading is ended with SubscriberBehindError in place of what waited for it.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  /** Reads waiting for a value, first come first served. */
  private readonly waiters: Waiter<T>[] = [];
  private started = false;
  /** No more values: `end` or `return` was called. */
  private ended = false;
  private closed = false;
  private error: { value: unknown } | null = null;
  private reads = 0;
  private stallCheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly hooks: { start(): void; close(): void },
    private readonly backlog?: Backlog,
  ) {}

  push(value: T): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ value, done: false });
      return;
    }
    this.values.push(value);
    const backlog = this.backlog;
    if (!backlog || this.values.length < backlog.size) return;
    if (this.values.length >= backlog.size * 10) this.fallBehind(false);
    else if (!this.stallCheck) this.watchForStall(backlog);
  }

  /** Ends the iteration after the values already pushed; with `error`, it then throws it. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.error = { value: error };
    this.close();
    for (const waiter of this.waiters.splice(0)) this.finish(waiter);
  }

  next(): Promise<IteratorResult<T>> {
    this.reads += 1;
    if (!this.started && !this.ended) {
      this.started = true;
      this.hooks.start();
    }
    if (this.values.length > 0) {
      return Promise.resolve({ value: this.values.shift() as T, done: false });
    }
    return new Promise((resolve, reject) => {
      if (this.ended) this.finish({ resolve, reject });
      else this.waiters.push({ resolve, reject });
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.values.length = 0;
    this.error = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The end of the iteration: its error once, then done. */
  private finish(waiter: Waiter<T>): void {
    const error = this.error;
    this.error = null;
    if (error) waiter.reject(error.value);
    else waiter.resolve({ value: undefined, done: true });
  }

  /**
   * Ends the consumer if it reads nothing for `stallMs` while `size` values wait for it (checked
   * every `stallMs`: a consumer is ended between one and two `stallMs` after its last read).
   */
  private watchForStall(backlog: Backlog): void {
    const reads = this.reads;
    this.stallCheck = setTimeout(() => {
      this.stallCheck = null;
      if (this.ended || this.values.length < backlog.size) return;
      if (this.reads === reads) this.fallBehind(true);
      else this.watchForStall(backlog);
    }, backlog.stallMs);
    this.stallCheck.unref();
  }

  /** What waited is dropped: the consumer's next read is the error. */
  private fallBehind(stalled: boolean): void {
    const waiting = this.values.length;
    this.values.length = 0;
    this.end(new SubscriberBehindError(waiting, stalled));
  }

  private close(): void {
    if (this.stallCheck) clearTimeout(this.stallCheck);
    this.stallCheck = null;
    if (!this.started || this.closed) return;
    this.closed = true;
    this.hooks.close();
  }
}
