import { ALGORITHM_VERSION, analyzePlayer, isFlagged } from '../detection/index.ts';
import type { JobContext } from '../jobs/engine/index.ts';
import type { AnalyzerConfig } from './analyzer-job.ts';
import { currentBaselines } from './baselines.ts';
import { type DuePlayer, retryAnalysisLater } from './due-players.ts';
import { loadPlayerInputs } from './player-inputs.ts';
import { type AnalysisToSave, saveAnalyses } from './save-analysis.ts';

/**
 * Games read per player (more when `min_games` asks for more): enough for trends, bounded so one
 * player costs the same as another.
 */
const MAX_GAMES = 50;

/**
 * Detection over stored data for `players`: read in three statements, scored, and saved in one;
 * flagged players published. A player whose detection or save fails goes to execution_log and
 * is tried again in an hour; each is added to `failed` as it fails, so a run aborted meanwhile
 * still knows them (their claims lapse rather than being released).
 */
export async function analyseBatch(
  ctx: JobContext,
  players: readonly DuePlayer[],
  config: AnalyzerConfig,
  failed: Set<string>,
): Promise<void> {
  const now = new Date();
  const { baselines, tag } = await currentBaselines(ctx.prisma, {
    minGames: config.min_games,
    now,
  });
  const settings = {
    minGames: config.min_games,
    baselines,
    // A smurf score threshold (the runbook's key name), not the high/medium/low confidence label.
    smurfFlagScore: config.min_smurf_confidence,
    boostedFlagScore: config.min_boosted_score,
  };
  ctx.progress({ phase: 'analysis', processed: 0, total: players.length });
  const inputs = await loadPlayerInputs(
    ctx.prisma,
    players.map((p) => p.puuid),
    { maxGames: Math.max(MAX_GAMES, config.min_games) },
  );
  const analyses: AnalysisToSave[] = [];
  for (const player of players) {
    const input = inputs.get(player.puuid);
    if (!input) continue; // deleted by hand meanwhile
    try {
      const result = {
        ...analyzePlayer(input, settings),
        algorithmVersion: `${ALGORITHM_VERSION}+${tag}`,
      };
      analyses.push({
        puuid: player.puuid,
        result,
        verdict: isFlagged(result, settings),
        // Read with the games: those stored by this run's history fetches are in this analysis.
        countedMatches: input.newMatches,
      });
    } catch (error) {
      ctx.itemFailed(player.puuid, error);
      failed.add(player.puuid);
    }
  }
  ctx.signal.throwIfAborted();
  const saved = await saveEach(ctx, analyses);
  const savedPuuids = new Set(saved.map((a) => a.puuid));
  for (const { puuid } of analyses) if (!savedPuuids.has(puuid)) failed.add(puuid);
  const riotIds = new Map(players.map((p) => [p.puuid, p.riotId]));
  for (const { puuid, result, verdict } of saved) {
    if (!verdict.smurf || !result.smurf) continue;
    ctx.pubsub.publish('playerFlagged', {
      puuid,
      riotId: riotIds.get(puuid) ?? null,
      smurfScore: result.smurf.score,
      confidence: result.smurf.confidence,
      at: new Date().toISOString(),
    });
  }
  // Taken first again by the next run, a player that always fails would hold up the others.
  // After the flags are out: should this fail, their claims (not released by the job) lapse at
  // the run's timeout anyway.
  await retryAnalysisLater(ctx.prisma, [...failed]).catch((error: unknown) => {
    ctx.logger.warn(
      { err: error },
      'Could not set the retry time of players whose analysis failed',
    );
  });
  ctx.progress({ phase: 'analysis', processed: players.length, total: players.length });
}

/** The batch in one statement; should it fail, player by player, so one bad row fails alone. */
async function saveEach(ctx: JobContext, analyses: AnalysisToSave[]): Promise<AnalysisToSave[]> {
  try {
    const updated = await saveAnalyses(ctx.prisma, analyses);
    ctx.count('recordsCreated', updated);
    ctx.count('recordsUpdated', updated);
    return analyses;
  } catch (error) {
    ctx.logger.warn({ err: error }, 'Saving the batch of analyses failed: saving one by one');
  }
  const saved: AnalysisToSave[] = [];
  for (const analysis of analyses) {
    try {
      ctx.count('recordsCreated', await saveAnalyses(ctx.prisma, [analysis]));
      ctx.count('recordsUpdated');
      saved.push(analysis);
    } catch (error) {
      ctx.itemFailed(analysis.puuid, error);
    }
  }
  return saved;
}
