/**
 * Expected failures of the use-cases every front door shares (GraphQL, REST, CLI, jobs). Each
 * carries a stable `code` that the API layers map to their own form; nothing was changed.
 */
export const ERROR_CODE = {
  notFound: 'NOT_FOUND',
  invalidInput: 'INVALID_INPUT',
  limitReached: 'LIMIT_REACHED',
  conflict: 'CONFLICT',
  unauthenticated: 'UNAUTHENTICATED',
  rateLimited: 'RATE_LIMITED',
  riotUnavailable: 'RIOT_UNAVAILABLE',
  /** riftwatch itself cannot take the change now (it is stopping): try again once it runs. */
  unavailable: 'UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ERROR_CODE)[keyof typeof ERROR_CODE];

export class AppError extends Error {
  override readonly name: string = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export { coerceError } from './riot/errors.ts';
