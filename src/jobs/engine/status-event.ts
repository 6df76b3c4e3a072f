import type { ExecutionStatusEvent, RiftwatchPubSub } from '../../events/pubsub.ts';
import type { ExecutionStatus, Trigger } from './types.ts';

export type ExecutionRef = {
  executionId: number;
  jobConfigId: number;
  jobType: string;
  trigger: Trigger;
};

/** Publishes an execution's status change on the `executionStatus` topic. */
export function publishExecutionStatus(
  pubsub: RiftwatchPubSub,
  ref: ExecutionRef,
  status: ExecutionStatus,
  errorMessage: string | null = null,
): void {
  const event: ExecutionStatusEvent = {
    executionId: ref.executionId,
    jobConfigId: ref.jobConfigId,
    jobType: ref.jobType,
    trigger: ref.trigger,
    status,
    errorMessage,
    at: new Date().toISOString(),
  };
  pubsub.publish('executionStatus', event);
}
