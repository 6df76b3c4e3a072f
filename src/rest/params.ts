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
