import type { Api } from '../api-client/api.ts';
import type { Param } from './params.ts';

export type RestRequest = {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
};

export type Route = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI form: `{name}` is a path segment. */
  path: string;
  operationId: string;
  summary: string;
  /** The GraphQL operation it executes, for the API description. */
  graphql: string;
  params?: Param[];
  body?: Record<string, { type: string; description: string }>;
  /** The status of a success (202 for a queued run). */
  success: 200 | 202;
  /** The error statuses it can answer besides 400 and 500. */
  errors: number[];
  run(api: Api, request: RestRequest): Promise<unknown>;
};

export const JOB_ID: Param = {
  name: 'job_id',
  in: 'path',
  type: 'string',
  description: 'job_configurations.id, the Job global ID, or the job type',
};
export const EXECUTION_ID: Param = {
  name: 'execution_id',
  in: 'path',
  type: 'string',
  description: 'job_executions.id or the JobExecution global ID',
};
export const PUUID: Param = {
  name: 'puuid',
  in: 'path',
  type: 'string',
  description: 'Riot PUUID',
};
export const SINCE: Param = {
  name: 'since',
  in: 'query',
  type: 'string',
  description: 'ISO date-time, or a duration back from now (30m, 24h, 7d)',
};
export const LIMIT: Param = { name: 'limit', in: 'query', type: 'integer', description: '1–100' };
export const AFTER: Param = {
  name: 'after',
  in: 'query',
  type: 'string',
  description: 'the nextCursor of the previous page',
};
export const q = (name: string, type: Param['type'], description: string): Param => ({
  name,
  in: 'query',
  type,
  description,
});
export const MUTATION_ERRORS = [401, 404, 409, 429];
