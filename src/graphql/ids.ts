import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { type GraphQLSchema, isObjectType } from 'graphql';
import { AppError, ERROR_CODE } from '../errors.ts';

export class InvalidIdError extends AppError {
  override readonly name = 'InvalidIdError';
  constructor(typename: string, raw: string) {
    const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
    super(
      ERROR_CODE.invalidInput,
      `Invalid ${typename} id ${JSON.stringify(shown)}: expected its global ID or its number`,
    );
  }
}

const DATABASE_ID = /^[1-9]\d{0,9}$/;
const MAX_INT = 2_147_483_647;

/**
 * A Job or JobExecution id as clients send it: the Relay global ID, or the plain number the
 * runbook and the REST paths use.
 */
export function parseNumericId(typename: 'Job' | 'JobExecution', raw: string): number {
  let candidate: string | null = raw.trim();
  if (!DATABASE_ID.test(candidate)) {
    try {
      const decoded = decodeGlobalID(candidate);
      candidate = decoded.typename === typename ? decoded.id : null;
    } catch {
      candidate = null;
    }
  }
  if (candidate === null || !DATABASE_ID.test(candidate) || Number(candidate) > MAX_INT) {
    throw new InvalidIdError(typename, raw);
  }
  return Number(candidate);
}

export const globalId = (typename: 'Job' | 'JobExecution' | 'Player', id: number | string) =>
  encodeGlobalID(typename, id);

/** A global ID naming a type that is no Node (`Foo:1`) is bad input, not a server fault. */
export function checkNodeType(schema: GraphQLSchema, id: { typename: string; id: string }): void {
  const type = schema.getType(id.typename);
  if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) {
    throw new AppError(
      ERROR_CODE.invalidInput,
      `Invalid node id: ${JSON.stringify(id.typename.slice(0, 60))} is no type with a global ID`,
    );
  }
}
