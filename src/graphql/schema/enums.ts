import { EXECUTION_STATUS, TRIGGER } from '../../jobs/engine/index.ts';
import { builder } from '../builder.ts';

export const ExecutionStatusEnum = builder.enumType('ExecutionStatus', {
  description: 'pending (queued) → running → success, failed or cancelled.',
  values: Object.fromEntries(Object.values(EXECUTION_STATUS).map((s) => [s, { value: s }])),
});

export const TriggerEnum = builder.enumType('Trigger', {
  values: Object.fromEntries(Object.values(TRIGGER).map((s) => [s, { value: s }])),
});
