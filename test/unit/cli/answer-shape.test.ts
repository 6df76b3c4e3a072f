import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNullableType,
  getOperationAST,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import * as documents from '../../../src/api-client/documents.ts';
import { NULLABLE_ROOT_FIELDS, unlikeRiftwatch } from '../../../src/cli/answer-shape.ts';
import { SCHEMA_FILE } from '../../../src/graphql/print-schema.ts';

const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));

/** Each root field the CLI's documents ask for, with whether the schema lets it be null. */
const rootFields = Object.values(documents).flatMap((text) => {
  const operation = getOperationAST(parse(text));
  const root = operation && schema.getRootType(operation.operation);
  return (operation?.selectionSet.selections ?? []).flatMap((s) =>
    s.kind === 'Field' && root
      ? [{ name: s.name.value, nullable: !isNonNullType(root.getFields()[s.name.value]?.type) }]
      : [],
  );
});

test("the root fields let be null are the schema's nullable ones", () => {
  expect(rootFields.length).toBeGreaterThan(10);
  for (const { name, nullable } of rootFields) {
    expect({ name, nullable: NULLABLE_ROOT_FIELDS.has(name) }).toEqual({ name, nullable });
  }
});

test('every list in the schema holds non-null items (a null item is never riftwatch’s)', () => {
  const lists = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .flatMap((type) => Object.values(type.getFields()))
    .flatMap((field) => {
      const type = getNullableType(field.type);
      return isListType(type) ? [type] : [];
    });
  expect(lists.length).toBeGreaterThan(5);
  for (const list of lists) expect(isNonNullType(list.ofType), String(list)).toBe(true);
});

describe('unlikeRiftwatch', () => {
  test("riftwatch's answers pass, a lookup's null and a typed error included", () => {
    expect(unlikeRiftwatch(documents.JOBS, { jobs: [] })).toBeNull();
    expect(unlikeRiftwatch(documents.JOB_BY_ID, { job: null })).toBeNull();
    const refused = {
      __typename: 'InputValidationError',
      code: 'INVALID_INPUT',
      message: 'Validation error: input.schedule: too long',
      issues: [{ path: ['input', 'schedule'], message: 'too long' }],
    };
    expect(unlikeRiftwatch(documents.CONFIGURE_JOB, { configureJob: refused })).toBeNull();
  });

  test('names the first field missing, null at the root, or not an object', () => {
    expect(unlikeRiftwatch(documents.TRIGGER_JOB, { triggerJob: null })).toBe('triggerJob is null');
    expect(
      unlikeRiftwatch(documents.TRIGGER_JOB, { triggerJob: { __typename: 'ExecutionPayload' } }),
    ).toBe('triggerJob.execution is missing');
    const page = { totalCount: 1, pageInfo: { hasNextPage: false, endCursor: null }, edges: [7] };
    expect(unlikeRiftwatch(documents.PLAYERS, { players: page })).toBe(
      'players.edges[0] is a number, not an object or a list',
    );
    expect(unlikeRiftwatch(documents.JOBS, { jobs: [null] })).toBe('jobs[0] is null');
  });
});
