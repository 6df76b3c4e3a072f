import { executionRetention } from './handlers/execution-retention.ts';
import { playerAnalyzer } from './handlers/player-analyzer.ts';
import { trackedPlayerUpdater } from './handlers/tracked-player-updater.ts';
import type { JobRegistry } from './types.ts';

/** Job type → config schema → handler (graphile-worker's task list). Adding a job type also
 * needs the `job_configurations_job_type_check` constraint to allow it. */
export const jobRegistry = {
  tracked_player_updater: trackedPlayerUpdater,
  player_analyzer: playerAnalyzer,
  execution_retention: executionRetention,
} as const satisfies JobRegistry;
