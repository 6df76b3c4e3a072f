import { parse } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { expect, test } from 'vitest';
import * as cli from '../../../src/api-client/documents.ts';
import * as dashboard from '../../../src/dashboard/documents.ts';
import {
  BYTES_PER_TOKEN,
  DOCUMENT_CACHE_LIMITS,
  type DocumentCacheLimits,
  documentBytes,
  useDocumentCache,
} from '../../../src/graphql/document-cache.ts';

/** A Yoga with the cache (within `limits`) that counts the documents it really parses and validates. */
function countingYoga(limits: Partial<DocumentCacheLimits> = {}) {
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
    plugins: [counter, useDocumentCache(limits)],
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
  const { counts, post } = countingYoga({ maxDocuments: 10 });
  for (let i = 0; i < 3; i++) expect(await post('{ a }')).toEqual({ data: { a: null } });
  expect(counts).toEqual({ parsed: ['{ a }'], validated: 1 });
});

test('past its size the least recently used document goes first', async () => {
  const { counts, post } = countingYoga({ maxDocuments: 2 });
  for (const query of ['{ a }', '{ b }', '{ a }', '{ a b }', '{ a }', '{ b }']) await post(query);
  // "{ b }" was used least recently when "{ a b }" came, and "{ a }" stayed.
  expect(counts.parsed).toEqual(['{ a }', '{ b }', '{ a b }', '{ b }']);
});

test('a validation failure is kept with its document; a parse failure is not kept', async () => {
  const { counts, post } = countingYoga({ maxDocuments: 10 });
  const invalid = [await post('{ c }'), await post('{ c }')];
  expect(invalid[0]?.errors?.[0]?.message).toMatch(/Cannot query field "c"/);
  expect(invalid[1]).toEqual(invalid[0]);
  expect(counts.validated).toBe(1);

  const broken = [await post('{ a'), await post('{ a')];
  expect(broken[0]?.errors?.[0]?.message).toMatch(/Syntax Error/);
  expect(broken[1]).toEqual(broken[0]);
  expect(counts.parsed.filter((text) => text === '{ a')).toHaveLength(2);
});

test('a document longer than a client sends is not kept: comments cannot pin the body limit each', async () => {
  const { counts, post } = countingYoga();
  const padded = (i: number) => `{ a }\n#${'x'.repeat(DOCUMENT_CACHE_LIMITS.maxDocumentText)}${i}`;
  for (const i of [0, 1, 0]) expect(await post(padded(i))).toEqual({ data: { a: null } });
  expect(counts.parsed).toHaveLength(3);
  // A short one still is.
  for (let i = 0; i < 2; i++) await post('{ b }');
  expect(counts.parsed).toHaveLength(4);
});

test('the documents kept are bounded by what they hold, not only by their count', async () => {
  const { counts, post } = countingYoga();
  // Short texts of many tokens: each holds about 200 KB parsed, 90 of them more than maxBytes.
  const dense = (i: number) => `{ ${'a '.repeat(398)}} #${i}`;
  expect(documentBytes(dense(0), parse(dense(0)))).toBeGreaterThan(400 * BYTES_PER_TOKEN);
  for (let i = 0; i < 90; i++) await post(dense(i));
  expect(counts.parsed).toHaveLength(90);
  // The most recent is still kept; the first, least recently used, went for the bytes.
  await post(dense(89));
  expect(counts.parsed).toHaveLength(90);
  await post(dense(0));
  expect(counts.parsed).toHaveLength(91);
  // One that alone would hold more than a client's document is not kept at all.
  const huge = `{ ${'a '.repeat(1500)}}`;
  for (let i = 0; i < 2; i++) await post(huge);
  expect(counts.parsed).toHaveLength(93);
});

test("the clients' documents are all small enough to be kept", () => {
  for (const [name, text] of [...Object.entries(cli), ...Object.entries(dashboard)]) {
    if (typeof text !== 'string') continue;
    expect({ name, fits: text.length <= DOCUMENT_CACHE_LIMITS.maxDocumentText }).toEqual({
      name,
      fits: true,
    });
    const bytes = documentBytes(text, parse(text));
    expect({ name, fits: bytes <= DOCUMENT_CACHE_LIMITS.maxDocumentBytes / 2 }).toEqual({
      name,
      fits: true,
    });
  }
});
