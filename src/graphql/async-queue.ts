import { MAX_BACKLOG, SubscriberBehindError } from '../events/backlog.ts';

type Waiter<T> = { resolve(result: IteratorResult<T>): void; reject(error: unknown): void };

/**
 * An async iterator fed by `push`, for one subscriber. It starts on the first `next()` and closes
 * (`close`, once, if it started) when it is ended or its consumer returns. graphql-yoga's
 * Repeater does the same with back pressure that these pushes do not use, at about thirty times
 * the cost per value: with 1,000 subscribers, a sizable share of delivering one event. A consumer
 * that stops pulling (a client that stopped reading its socket) is ended with
 * SubscriberBehindError once `maxBacklog` values wait for it.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private waiter: Waiter<T> | null = null;
  private started = false;
  /** No more values: `end` or `return` was called. */
  private ended = false;
  private closed = false;
  private error: { value: unknown } | null = null;

  constructor(
    private readonly hooks: { start(): void; close(): void },
    private readonly maxBacklog = MAX_BACKLOG,
  ) {}

  push(value: T): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter.resolve({ value, done: false });
    } else if (this.values.length < this.maxBacklog) {
      this.values.push(value);
    } else {
      this.end(new SubscriberBehindError(this.maxBacklog));
    }
  }

  /** Ends the iteration after the values already pushed; with `error`, it then throws it. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.error = { value: error };
    this.close();
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      this.finish(waiter);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (!this.started && !this.ended) {
      this.started = true;
      this.hooks.start();
    }
    if (this.values.length > 0) {
      return Promise.resolve({ value: this.values.shift() as T, done: false });
    }
    return new Promise((resolve, reject) => {
      if (this.ended) this.finish({ resolve, reject });
      else this.waiter = { resolve, reject };
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

  private close(): void {
    if (!this.started || this.closed) return;
    this.closed = true;
    this.hooks.close();
  }
}
