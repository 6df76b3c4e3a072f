import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../../../src/graphql/print-schema.ts';

test('schema.graphql matches the schema the code builds (run `npm run schema` after a change)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
});
