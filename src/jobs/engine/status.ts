// Execution statuses and their order. Imports nothing: the dashboard's bundle and the API
// client use it as the server does.

export const EXECUTION_STATUS = {
  pending: 'pending',
  running: 'running',
  success: 'success',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type ExecutionStatus = (typeof EXECUTION_STATUS)[keyof typeof EXECUTION_STATUS];

/** Where a status stands in an execution's life: queued, running, then one final status. */
export const STATUS_STAGE: Readonly<Record<ExecutionStatus, 0 | 1 | 2>> = {
  pending: 0,
  running: 1,
  success: 2,
  failed: 2,
  cancelled: 2,
};

export const isFinalStatus = (status: ExecutionStatus): boolean => STATUS_STAGE[status] === 2;
