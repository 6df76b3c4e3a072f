import { ApiError } from '../api-client/errors.ts';

/** A query parameter or path segment a REST route reads (documented in the OpenAPI document). */
export type Param = {
  name: string;
  in: 'path' | 'query';
  type: 'string' | 'integer' | 'boolean';
  description: string;
  enum?: readonly string[];
};

const invalid = (name: string, expected: string, value: string) =>
  new ApiError(
    'INVALID_INPUT',
    `Invalid ${name} ${JSON.stringify(value.slice(0, 60))}: expected ${expected}`,
  );

/**
 * The query a route reads. An empty value is no value, so a URL template copied with its blanks
 * (`?job=&limit=`) lists everything. A parameter the route does not document (`?SINCE=1h`,
 * `?stauts=failed`) is refused rather than ignored, which would answer as if it were absent; one
 * given twice is refused rather than one of its values picked.
 */
export function routeQuery(documented: readonly Param[], search: URLSearchParams): URLSearchParams {
  const names = documented.filter((p) => p.in === 'query').map((p) => p.name);
  const query = new URLSearchParams();
  for (const [name, value] of search) {
    if (value === '') continue;
    if (!names.includes(name)) throw unknownParam(name, names);
    if (query.has(name)) {
      throw new ApiError('INVALID_INPUT', `Invalid ${name}: given more than once`);
    }
    query.append(name, value);
  }
  return query;
}

function unknownParam(name: string, names: string[]): ApiError {
  const accepted = names.length > 0 ? `accepted are ${names.join(', ')}` : 'this path takes none';
  return new ApiError(
    'INVALID_INPUT',
    `Unknown query parameter ${JSON.stringify(name.slice(0, 60))}: ${accepted}`,
  );
}

/** A path segment, percent-decoded; an id is never padded, so surrounding whitespace is refused. */
export function pathSegment(name: string, raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw new ApiError('INVALID_INPUT', `Invalid ${name}: malformed percent-encoding`);
  }
  if (value.trim() !== value) throw invalid(name, 'no surrounding whitespace', value);
  return value;
}

/** `?limit=` as a page size: a whole number from 1 to 100. */
export function limitParam(query: URLSearchParams, name = 'limit'): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 100) {
    throw invalid(name, 'a whole number from 1 to 100', value);
  }
  return Number(value);
}

export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(name, 'true or false', value);
}

export const stringParam = (query: URLSearchParams, name: string) => query.get(name) ?? undefined;

/** A JSON request body as an object (empty body: `{}`). */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('INVALID_INPUT', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
