import { ALGORITHM_VERSION, analyzePlayer, isFlagged } from '../detection/index.ts';
import type { JobContext } from '../jobs/engine/index.ts';
import type { AnalyzerConfig } from './analyzer-job.ts';
import { currentBaselines } from './baselines.ts';
import type { DuePlayer } from './due-players.ts';
import { loadPlayerInputs } from './player-inputs.ts';
import { saveAnalysis } from './save-analysis.ts';

/** Games read per player: enough for trends, bounded so one player costs the same as another. */
const MAX_GAMES = 50;

/** Detection over stored data for `players`, one analysis row each; flagged players published. */
export async function analyseBatch(
  ctx: JobContext,
  players: readonly DuePlayer[],
  config: AnalyzerConfig,
): Promise<void> {
  const now = new Date();
  const { baselines, tag } = await currentBaselines(ctx.prisma, {
    minGames: config.min_games,
    now,
  });
  const settings = {
    minGames: config.min_games,
    baselines,
    smurfFlagScore: config.min_smurf_confidence,
    boostedFlagScore: config.min_boosted_score,
  };
  const inputs = await loadPlayerInputs(
    ctx.prisma,
    players.map((p) => p.puuid),
    { maxGames: MAX_GAMES, now },
  );
  for (const [index, player] of players.entries()) {
    ctx.signal.throwIfAborted();
    ctx.progress({ phase: 'analysis', processed: index, total: players.length });
    const input = inputs.get(player.puuid);
    if (!input) continue; // deleted meanwhile (the runbook's reset)
    try {
      const result = {
        ...analyzePlayer(input, settings),
        algorithmVersion: `${ALGORITHM_VERSION}+${tag}`,
      };
      const verdict = isFlagged(result, settings);
      await saveAnalysis(ctx.prisma, player.puuid, result, verdict, player.newMatches);
      ctx.count('recordsCreated');
      ctx.count('recordsUpdated');
      if (verdict.smurf && result.smurf) {
        ctx.pubsub.publish('playerFlagged', {
          puuid: player.puuid,
          riotId: player.riotId,
          smurfScore: result.smurf.score,
          confidence: result.smurf.confidence,
          at: new Date().toISOString(),
        });
      }
    } catch (error) {
      ctx.itemFailed(player.puuid, error);
    }
  }
  ctx.progress({ phase: 'analysis', processed: players.length, total: players.length });
}
