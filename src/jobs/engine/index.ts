// The job engine's public surface: everything else in this folder is its internals.

export { parseJobConfig } from './config-validation.ts';
export {
  createJobEngine,
  DEFAULT_TIMINGS,
  type EngineTimings,
  type JobEngine,
  type JobEngineOptions,
} from './engine.ts';
export {
  ExecutionEndedElsewhereError,
  JobEngineNotRunningError,
  UnknownJobConfigurationError,
} from './errors.ts';
export { isWorkerGone } from './liveness.ts';
export { parseSchedule, ScheduleError } from './schedule.ts';
export {
  EXECUTION_STATUS,
  type ExecutionStatus,
  isFinalStatus,
  STATUS_STAGE,
} from './status.ts';
export { type ExecutionRef, publishExecutionStatus } from './status-event.ts';
export {
  defineJob,
  JOB_TYPES,
  type JobContext,
  type JobDefinition,
  type JobRegistry,
  type JobType,
  TRIGGER,
  type Trigger,
} from './types.ts';
