import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { expect, test } from 'vitest';
import { createGraphQLMetrics } from '../../../src/metrics/graphql-metrics.ts';

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

test('a fragment spread twice is counted once, and one named in a cycle runs nothing', async () => {
  expect(await counted('{ ...A ...A } fragment A on Query { jobs }')).toEqual({ jobs: 1 });
  expect(
    await counted('{ ...A } fragment A on Query { jobs ...B } fragment B on Query { ...A }'),
  ).toEqual({});
});
