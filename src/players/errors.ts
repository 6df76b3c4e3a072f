import { AppError, ERROR_CODE } from '../errors.ts';
import {
  RiotApiError,
  RiotBadRequestError,
  RiotForbiddenError,
  RiotNotFoundError,
  RiotUnauthorizedError,
} from '../riot/errors.ts';

export class PlayerNotFoundError extends AppError {
  override readonly name = 'PlayerNotFoundError';
  constructor(message: string) {
    super(ERROR_CODE.notFound, message);
  }
}

export class PlayerInputError extends AppError {
  override readonly name = 'PlayerInputError';
  constructor(message: string) {
    super(ERROR_CODE.invalidInput, message);
  }
}

export class TrackingLimitError extends AppError {
  override readonly name = 'TrackingLimitError';
  constructor(readonly limit: number) {
    super(
      ERROR_CODE.limitReached,
      `Already tracking ${limit} players (MAX_TRACKED_PLAYERS): untrack one first`,
    );
  }
}

export class RiotUnavailableError extends AppError {
  override readonly name = 'RiotUnavailableError';
  constructor(message: string, cause: unknown) {
    super(ERROR_CODE.riotUnavailable, message, { cause });
  }
}

/** What an interactive Riot lookup's failure means to the operator who asked for it. */
export function lookupError(error: unknown, what: string): Error {
  if (error instanceof RiotNotFoundError) return new PlayerNotFoundError(`No Riot account ${what}`);
  if (error instanceof RiotBadRequestError && error.decryptionFailed) {
    return new PlayerInputError(`The PUUID of ${what} belongs to another Riot API key`);
  }
  if (error instanceof RiotUnauthorizedError || error instanceof RiotForbiddenError) {
    return new RiotUnavailableError('The Riot API key is invalid or expired', error);
  }
  if (error instanceof RiotBadRequestError) {
    return new PlayerInputError(`Riot refused the lookup of ${what}: ${error.message}`);
  }
  if (error instanceof RiotApiError) {
    return new RiotUnavailableError(`Riot API unavailable: ${error.message}`, error);
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new RiotUnavailableError(
      'The Riot API did not answer in time (its rate limit may be holding requests back): try again later',
      error,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
