// `npm run schema`: writes schema.graphql (committed; test/unit/graphql/schema-drift.test.ts
// fails when it no longer matches the code).
import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from './schema.ts';

export const SCHEMA_FILE = new URL('../../schema.graphql', import.meta.url);

export const printedSchema = () => `${printSchema(schema)}\n`;

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  writeFileSync(SCHEMA_FILE, printedSchema());
  console.log(`Wrote ${SCHEMA_FILE.pathname}`);
}
