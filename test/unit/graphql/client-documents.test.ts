import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { expect, test } from 'vitest';
import * as cli from '../../../src/api-client/documents.ts';
import * as dashboard from '../../../src/dashboard/documents.ts';
import { SCHEMA_FILE } from '../../../src/graphql/print-schema.ts';

// The documents the CLI, the REST paths and the dashboard send, checked against the committed
// schema (which the drift test holds to the code): a renamed or removed field fails here, not
// in an operator's terminal or browser.
const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));

const documents = [
  ...Object.entries(cli).map(([name, text]) => [`api-client ${name}`, text] as const),
  ...Object.entries(dashboard).map(([name, text]) => [`dashboard ${name}`, text] as const),
];

test('there are documents to check', () => {
  expect(documents.length).toBeGreaterThan(20);
});

test.each(documents)('%s is valid against schema.graphql', (_name, text) => {
  expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
});
