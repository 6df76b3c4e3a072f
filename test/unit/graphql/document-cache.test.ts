import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { expect, test } from 'vitest';
import { useDocumentCache } from '../../../src/graphql/document-cache.ts';

/** A Yoga with the cache (of `max` documents) that counts the documents it really parses and validates. */
function countingYoga(max: number) {
  const counts = { parsed: [] as string[], validated: 0 };
  const counter: Plugin = {
    onParse({ params, parseFn, setParseFn }) {
      setParseFn((source, options) => {
        counts.parsed.push(String(params.source));
        return parseFn(source, options);
      });
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args) => {
        counts.validated += 1;
        return validateFn(...args);
      });
    },
  };
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { a: Int b: Int }', resolvers: {} }),
    parserAndValidationCache: false,
    plugins: [counter, useDocumentCache(max)],
  });
  const post = async (query: string) => {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  };
  return { counts, post };
}

test('a document is parsed and validated once, then served from the cache', async () => {
  const { counts, post } = countingYoga(10);
  for (let i = 0; i < 3; i++) expect(await post('{ a }')).toEqual({ data: { a: null } });
  expect(counts).toEqual({ parsed: ['{ a }'], validated: 1 });
});

test('past its size the least recently used document goes first', async () => {
  const { counts, post } = countingYoga(2);
  for (const query of ['{ a }', '{ b }', '{ a }', '{ a b }', '{ a }', '{ b }']) await post(query);
  // "{ b }" was used least recently when "{ a b }" came, and "{ a }" stayed.
  expect(counts.parsed).toEqual(['{ a }', '{ b }', '{ a b }', '{ b }']);
});

test('a validation failure is kept with its document; a parse failure is not kept', async () => {
  const { counts, post } = countingYoga(10);
  const invalid = [await post('{ c }'), await post('{ c }')];
  expect(invalid[0]?.errors?.[0]?.message).toMatch(/Cannot query field "c"/);
  expect(invalid[1]).toEqual(invalid[0]);
  expect(counts.validated).toBe(1);

  const broken = [await post('{ a'), await post('{ a')];
  expect(broken[0]?.errors?.[0]?.message).toMatch(/Syntax Error/);
  expect(broken[1]).toEqual(broken[0]);
  expect(counts.parsed.filter((text) => text === '{ a')).toHaveLength(2);
});
