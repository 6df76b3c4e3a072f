import { AppError, ERROR_CODE } from '../errors.ts';

/**
 * Events a subscription holds for a consumer that does not keep up (a client that stopped
 * reading its socket). One more ends that subscription with SubscriberBehindError.
 */
export const MAX_BACKLOG = 1000;

export class SubscriberBehindError extends AppError {
  override readonly name = 'SubscriberBehindError';
  constructor(backlog: number) {
    super(
      ERROR_CODE.limitReached,
      `The subscriber fell ${backlog} events behind; subscribe again to resume`,
    );
  }
}
