import { getOperationAST, parse } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { expect, test } from 'vitest';
import { createGraphQLMetrics, rootFields } from '../../../src/metrics/graphql-metrics.ts';

const schema = createSchema({
  typeDefs: 'type Query { status: Boolean jobs: Int players: Int }',
  resolvers: { Query: { status: () => true, jobs: () => 1, players: () => 2 } },
});
const registry = new Registry();
const yoga = createYoga({
  schema,
  plugins: [createGraphQLMetrics(registry).plugin],
  logging: false,
});

async function counted(query: string): Promise<Record<string, number>> {
  registry.resetMetrics();
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  await response.json();
  const values = (await registry.getSingleMetric('riftwatch_graphql_root_fields_total')?.get())
    ?.values;
  return Object.fromEntries((values ?? []).map((v) => [String(v.labels.field), v.value]));
}

test('root fields reached through named fragments count, once each', async () => {
  expect(
    await counted(`query { ...Overview jobs }
      fragment Overview on Query { status ...More }
      fragment More on Query { players ... on Query { status } }`),
  ).toEqual({ status: 1, jobs: 1, players: 1 });
});

test('a fragment spread twice is walked once, and a cycle (refused by validation) ends', () => {
  const fieldsOf = (query: string) => {
    const document = parse(query);
    return rootFields(document, getOperationAST(document) ?? undefined);
  };
  expect(fieldsOf('{ ...A ...A } fragment A on Query { jobs }')).toEqual(['jobs']);
  expect(
    fieldsOf('{ ...A } fragment A on Query { jobs ...B } fragment B on Query { players ...A }'),
  ).toEqual(['jobs', 'players']);
});
