import { playerAnalyzer } from '../analysis/analyzer-job.ts';
import { trackedPlayerUpdater } from '../players/updater-job.ts';
import type { JobRegistry } from './engine/index.ts';
import { executionRetentionJob } from './retention-job.ts';

/** Job type → config schema → handler, each job living with its domain. Adding a job type also
 * needs the `job_configurations_job_type_check` constraint to allow it. */
export function createJobRegistry(settings: { executionRetentionDays: number }) {
  return {
    tracked_player_updater: trackedPlayerUpdater,
    player_analyzer: playerAnalyzer,
    execution_retention: executionRetentionJob(settings.executionRetentionDays),
  } as const satisfies JobRegistry;
}
