import { InputValidationError, type StandardSchemaV1 } from '@pothos/plugin-validation';
import { AppError, ERROR_CODE, type ErrorCode } from '../../errors.ts';
import { builder } from '../builder.ts';
import { UnauthenticatedError } from '../request-errors.ts';

const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description:
    'Stable error codes; the same code appears in `extensions.code` of top-level errors.',
  values: Object.fromEntries(Object.values(ERROR_CODE).map((code) => [code, { value: code }])),
});

const ErrorInterface = builder.interfaceRef<Error & { code?: string }>('Error').implement({
  description: 'An expected failure: nothing was changed.',
  fields: (t) => ({
    message: t.exposeString('message'),
    // InputValidationError (the validation plugin's) carries no code: it is invalid input.
    code: t.field({
      type: ErrorCodeEnum,
      resolve: (error) => (error.code ?? ERROR_CODE.invalidInput) as ErrorCode,
    }),
  }),
});

/**
 * A class per code for the errors plugin, which picks a result type by `instanceof`: the
 * use-cases throw their own AppError subclasses (PlayerNotFoundError, JobNotFoundError…), so
 * membership is decided by the code they carry.
 */
function byCode(code: ErrorCode) {
  return class extends AppError {
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof AppError && value.code === code;
    }
  };
}

const NotFoundError = byCode(ERROR_CODE.notFound);
const InvalidInputError = byCode(ERROR_CODE.invalidInput);
const LimitReachedError = byCode(ERROR_CODE.limitReached);
const ConflictError = byCode(ERROR_CODE.conflict);
const RiotUnavailableError = byCode(ERROR_CODE.riotUnavailable);
const UnavailableError = byCode(ERROR_CODE.unavailable);

const described = [
  [NotFoundError, 'NotFoundError', 'What the input names does not exist.'],
  [InvalidInputError, 'InvalidInputError', 'The input is malformed (a PUUID, Riot ID, schedule…).'],
  [LimitReachedError, 'LimitReachedError', 'A configured limit (MAX_TRACKED_PLAYERS) is reached.'],
  [ConflictError, 'ConflictError', 'The target is in a state that does not allow the change.'],
  [RiotUnavailableError, 'RiotUnavailableError', 'The Riot API could not answer the lookup.'],
  [UnavailableError, 'UnavailableError', 'riftwatch is stopping: nothing was changed; try again.'],
] as const;
for (const [ErrorClass, name, description] of described) {
  builder.objectType(ErrorClass, { name, description, interfaces: [ErrorInterface] });
}

const UnauthenticatedReasonEnum = builder.enumType('UnauthenticatedReason', {
  description: 'Why the caller may not run mutations.',
  values: {
    NO_TOKEN_CONFIGURED: {
      description:
        'The server has no ADMIN_TOKEN: mutations are accepted from loopback only, so no token will help.',
    },
    TOKEN_REQUIRED: { description: 'No admin token was sent.' },
    TOKEN_INVALID: { description: 'The admin token sent is not the right one.' },
  } as const,
});

builder.objectType(UnauthenticatedError, {
  name: 'UnauthenticatedError',
  description: 'The admin token is missing or wrong.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.field({
      type: UnauthenticatedReasonEnum,
      description: 'Also in `extensions.reason` when the refusal is a top-level error.',
      resolve: (error) => error.reason,
    }),
  }),
});

const InputIssue = builder.objectRef<StandardSchemaV1.Issue>('InputIssue').implement({
  description: 'One problem with the input.',
  fields: (t) => ({
    message: t.exposeString('message'),
    path: t.stringList({
      description: 'Where in the input, e.g. ["input", "schedule"].',
      resolve: (issue) =>
        issue.path?.map((part) => String(typeof part === 'object' ? part.key : part)) ?? [],
    }),
  }),
});

builder.objectType(InputValidationError, {
  name: 'InputValidationError',
  description: 'The input failed validation; each issue names its field.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    issues: t.field({ type: [InputIssue], resolve: (error) => error.issues }),
  }),
});

/**
 * The typed failures every mutation may return. A spent mutation budget is not one of them: the
 * throttle refuses the whole request before any mutation runs, with a RATE_LIMITED error and its
 * `retryAfter` at the top level (plugins.ts).
 */
export const MUTATION_ERRORS = [
  InputValidationError,
  NotFoundError,
  InvalidInputError,
  LimitReachedError,
  ConflictError,
  RiotUnavailableError,
  UnavailableError,
  UnauthenticatedError,
];
