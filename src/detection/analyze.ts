import { scoreBoosted } from './boosted.ts';
import { buildContext, resolveSettings } from './context.ts';
import { scoreSmurf } from './smurf.ts';
import type { DetectionResult, DetectionSettings, PlayerInput } from './types.ts';

/** Stored with every analysis; bump it whenever a factor, weight or baseline changes. */
export const ALGORITHM_VERSION = 'smurf-2026.11-2';

/** Smurf and boosted scores of one player; pure and synchronous. */
export function analyzePlayer(
  input: PlayerInput,
  settings?: Partial<DetectionSettings>,
): DetectionResult {
  const ctx = buildContext(input, settings);
  const gamesAnalyzed = ctx.games.length;
  if (gamesAnalyzed < ctx.settings.minGames)
    return {
      status: 'insufficient_data',
      algorithmVersion: ALGORITHM_VERSION,
      gamesAnalyzed,
      smurf: null,
      boosted: null,
    };
  return {
    status: 'ok',
    algorithmVersion: ALGORITHM_VERSION,
    gamesAnalyzed,
    smurf: scoreSmurf(ctx),
    boosted: scoreBoosted(ctx),
  };
}

/** Whether a result should flag the player, at the settings' thresholds. */
export function isFlagged(
  result: DetectionResult,
  settings?: Partial<DetectionSettings>,
): { smurf: boolean; boosted: boolean } {
  const { smurfFlagScore, boostedFlagScore } = resolveSettings(settings);
  return {
    smurf: result.smurf !== null && result.smurf.score >= smurfFlagScore,
    boosted: result.boosted !== null && result.boosted.score >= boostedFlagScore,
  };
}
