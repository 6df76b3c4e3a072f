import { AppError, ERROR_CODE } from '../errors.ts';

/**
 * When a subscriber is ended: `size` events wait for it and it has read none for `stallMs`, or
 * ten times `size` wait (a bound on memory: however fast it reads, a subscriber cannot take in
 * events published in one go beyond that).
 */
export type Backlog = { size: number; stallMs: number };

/**
 * For the subscriptions of API clients. The time covers the whole path of an event to the socket
 * (its resolvers, the write), and stays above TCP's retransmission waits and SSE's 12 s ping.
 */
export const CLIENT_BACKLOG: Backlog = { size: 1000, stallMs: 15_000 };

export class SubscriberBehindError extends AppError {
  override readonly name = 'SubscriberBehindError';
  constructor(waiting: number, stalled: boolean) {
    super(
      ERROR_CODE.limitReached,
      stalled
        ? `The subscriber stopped reading with ${waiting} events waiting; subscribe again to resume`
        : `The subscriber fell ${waiting} events behind; subscribe again to resume`,
    );
  }
}
