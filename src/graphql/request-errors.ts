import { AppError, ERROR_CODE } from '../errors.ts';
import type { Refusal, UnauthenticatedReason } from './auth.ts';

/** A mutation without a valid admin token (or, with none configured, not from loopback). */
export class UnauthenticatedError extends AppError {
  override readonly name = 'UnauthenticatedError';
  readonly reason: UnauthenticatedReason;
  constructor(refusal: Refusal) {
    super(ERROR_CODE.unauthenticated, refusal.message);
    this.reason = refusal.reason;
  }
}

/** The caller's mutation budget is spent; `retryAfter` is in whole seconds. */
export class RateLimitedError extends AppError {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfter: number) {
    super(ERROR_CODE.rateLimited, `Too many mutations: retry in ${retryAfter} s`);
  }
}

/** A request whose shape is refused before anything runs (complexity, size, page size). */
export class RequestShapeError extends AppError {
  override readonly name = 'RequestShapeError';
  constructor(message: string) {
    super(ERROR_CODE.invalidInput, message);
  }
}

export function complexityError(
  kind: string,
  result: { depth: number; breadth: number; complexity: number },
  _info: unknown,
): Error {
  const name = kind.toLowerCase() as 'depth' | 'breadth' | 'complexity';
  const limit = (result as Record<string, unknown>)[`max${name[0]?.toUpperCase()}${name.slice(1)}`];
  return new RequestShapeError(
    `Query ${name} ${result[name]} exceeds the limit of ${String(limit)}`,
  );
}
