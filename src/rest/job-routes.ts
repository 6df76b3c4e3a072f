import { ApiError } from '../api-client/errors.ts';
import { limitParam, objectBody, stringParam } from './params.ts';
import {
  AFTER,
  EXECUTION_ID,
  JOB_ID,
  LIMIT,
  MUTATION_ERRORS,
  q,
  type Route,
  SINCE,
} from './route.ts';

const MODES: Record<string, 'MERGE' | 'REPLACE'> = { merge: 'MERGE', replace: 'REPLACE' };

/** The body's `mode`, in any case, as GraphQL's ConfigMode. */
function configMode(mode: unknown): 'MERGE' | 'REPLACE' {
  const found = typeof mode === 'string' ? MODES[mode.toLowerCase()] : undefined;
  if (found) return found;
  const shown = JSON.stringify(mode)?.slice(0, 60);
  throw new ApiError('INVALID_INPUT', `Invalid mode ${shown}: expected "merge" or "replace"`);
}

/** Jobs and executions. */
export const JOB_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/jobs',
    operationId: 'listJobs',
    summary: 'Every job configuration with its last and next run',
    graphql: 'query jobs',
    success: 200,
    errors: [],
    run: (api) => api.listJobs(),
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/status/overview',
    operationId: 'statusOverview',
    summary: 'Scheduler, jobs, running executions and Riot rate-limit usage',
    graphql: 'query statusOverview',
    success: 200,
    errors: [],
    run: (api) => api.statusOverview(),
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/stats',
    operationId: 'jobStats',
    summary: 'Per job type: executions, success rate, duration and API requests',
    graphql: 'query jobStats(since)',
    params: [{ ...SINCE, description: `${SINCE.description}; default 24h` }],
    success: 200,
    errors: [],
    run: (api, { query }) => api.jobStats(stringParam(query, 'since')),
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/{job_id}',
    operationId: 'getJob',
    summary: 'One job configuration',
    graphql: 'query job(id)',
    params: [JOB_ID],
    success: 200,
    errors: [404],
    run: (api, { params }) => api.getJob(params.job_id as string),
  },
  {
    method: 'PATCH',
    path: '/api/v1/jobs/{job_id}',
    operationId: 'configureJob',
    summary: "Changes a job's active flag, schedule or config (admin)",
    graphql: 'mutation configureJob',
    params: [JOB_ID],
    body: {
      isActive: { type: 'boolean', description: 'run on schedule or not' },
      schedule: { type: 'string', description: 'seconds, `interval:N`, `5 minutes` or cron' },
      config: { type: 'object', description: "checked by the job type's schema" },
      mode: { type: 'string', description: '`merge` (default) or `replace` the config' },
    },
    success: 200,
    errors: MUTATION_ERRORS,
    run: (api, { params, body }) => {
      const { mode, ...input } = objectBody(body);
      return api.configureJob(params.job_id as string, {
        ...input,
        // `null` is no mode, as an absent one: merge.
        ...(mode != null && { mode: configMode(mode) }),
      });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/jobs/{job_id}/trigger',
    operationId: 'triggerJob',
    summary: 'Queues a run now; answers its execution id at once (admin)',
    graphql: 'mutation triggerJob',
    params: [JOB_ID],
    success: 202,
    errors: MUTATION_ERRORS,
    run: (api, { params }) => api.triggerJob(params.job_id as string),
  },
  {
    method: 'GET',
    path: '/api/v1/executions',
    operationId: 'listExecutions',
    summary: 'Executions, newest first',
    graphql: 'query jobExecutions',
    params: [
      q('job', 'string', 'job id or job type'),
      {
        ...q('status', 'string', 'execution status'),
        enum: ['pending', 'running', 'success', 'failed', 'cancelled'],
      },
      SINCE,
      { ...LIMIT, description: `${LIMIT.description}; default 20` },
      AFTER,
    ],
    success: 200,
    errors: [404],
    run: (api, { query }) =>
      api.listExecutions({
        job: stringParam(query, 'job'),
        status: stringParam(query, 'status'),
        since: stringParam(query, 'since'),
        limit: limitParam(query),
        after: stringParam(query, 'after'),
      }),
  },
  {
    method: 'GET',
    path: '/api/v1/executions/{execution_id}',
    operationId: 'getExecution',
    summary: 'One execution with its progress and failed items',
    graphql: 'query jobExecution(id)',
    params: [EXECUTION_ID],
    success: 200,
    errors: [404],
    run: (api, { params }) => api.getExecution(params.execution_id as string),
  },
  {
    method: 'POST',
    path: '/api/v1/executions/{execution_id}/cancel',
    operationId: 'cancelExecution',
    summary: 'Cancels a pending or running execution (admin)',
    graphql: 'mutation cancelExecution',
    params: [EXECUTION_ID],
    success: 200,
    errors: MUTATION_ERRORS,
    run: (api, { params }) => api.cancelExecution(params.execution_id as string),
  },
];
