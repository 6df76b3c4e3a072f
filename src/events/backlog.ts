import { AppError, ERROR_CODE } from '../errors.ts';

/**
 * When a subscriber counts as stopped: `size` events wait for it and it has read none for
 * `stallMs`, or ten times `size` wait (a bound on memory, whatever the time). A subscriber that
 * goes on reading outlasts any burst of events published at once, up to that bound.
 */
export type Backlog = { size: number; stallMs: number };

/** For the subscriptions of API clients (a client that stopped reading its socket). */
export const CLIENT_BACKLOG: Backlog = { size: 1000, stallMs: 1000 };

export class SubscriberBehindError extends AppError {
  override readonly name = 'SubscriberBehindError';
  constructor(waiting: number) {
    super(
      ERROR_CODE.limitReached,
      `The subscriber stopped reading with ${waiting} events waiting; subscribe again to resume`,
    );
  }
}
