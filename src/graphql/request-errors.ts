import { type ComplexityErrorFn, ComplexityErrorKind } from '@pothos/plugin-complexity';
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

/** A request whose shape is refused before anything runs (complexity, size, too many mutations). */
export class RequestShapeError extends AppError {
  override readonly name = 'RequestShapeError';
  constructor(message: string) {
    super(ERROR_CODE.invalidInput, message);
  }
}

export const complexityError: ComplexityErrorFn = (kind, result) => {
  const [name, value, limit] =
    kind === ComplexityErrorKind.Depth
      ? ['depth', result.depth, result.maxDepth]
      : kind === ComplexityErrorKind.Breadth
        ? ['breadth', result.breadth, result.maxBreadth]
        : ['complexity', result.complexity, result.maxComplexity];
  return new RequestShapeError(`Query ${name} ${value} exceeds the limit of ${limit}`);
};
