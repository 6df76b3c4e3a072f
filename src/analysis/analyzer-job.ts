import { z } from 'zod';
import { DEFAULT_SETTINGS } from '../detection/index.ts';
import { defineJob, type JobContext } from '../jobs/engine/index.ts';
import { NothingDoneError } from '../jobs/item-failure.ts';
import { type SoftDeadline, softDeadline } from '../jobs/run-deadline.ts';
import { createMatchStore } from '../players/match-store.ts';
import { endsTheRun, runError } from '../riot/run-errors.ts';
import { analyseBatch } from './analyse-batch.ts';
import { checkDueAccounts } from './check-accounts.ts';
import { type DuePlayer, releaseClaims, selectDuePlayers } from './due-players.ts';
import { fetchHistory } from './fetch-history.ts';
import { ANALYSED_QUEUES } from './player-inputs.ts';

export const playerAnalyzerConfig = z.strictObject({
  /**
   * Never-analysed players taken per run (oldest discovery first). Players due for re-analysis
   * have as many slots of their own, so neither kind waits behind the other; account checks
   * per run are capped by it too.
   */
  unanalyzed_players_per_run: z.number().int().min(1).max(500).default(15),
  /** Smurf score from which a player is flagged. */
  min_smurf_confidence: z.number().min(0).max(1).default(DEFAULT_SETTINGS.smurfFlagScore),
  /** Flagged players' account status is checked again after this many days. */
  ban_check_days: z.number().int().min(1).max(365).default(7),
  /** Fewer ranked games than this: `insufficient_data`, no verdict. */
  min_games: z.number().int().min(1).max(100).default(10),
  /** An analysed player is analysed again once this many new matches are stored. */
  reanalyze_after_new_matches: z.number().int().min(1).max(1000).default(5),
  /** Recent ranked games fetched for a player with fewer than `min_games` stored. */
  history_games: z.number().int().min(0).max(100).default(20),
  /** Boosted score from which a player is marked boosted. */
  min_boosted_score: z.number().min(0).max(1).default(DEFAULT_SETTINGS.boostedFlagScore),
  /** No ranked game for this long: `inactive`. */
  inactive_after_days: z.number().int().min(1).max(3650).default(30),
});
export type AnalyzerConfig = z.output<typeof playerAnalyzerConfig>;

/**
 * Players due for analysis (never analysed, oldest discovery first; then those with enough new
 * matches): their rank and, when too few games are stored, their recent ranked history are
 * fetched (budget permitting), then detection runs and a `player_analyses` row is stored; a
 * flagged player is published on `playerFlagged`. Then flagged players' account status is checked
 * when `ban_check_days` old. One player failing goes to execution_log; a rejected key or an
 * application 429 past the retries fails the run; a run the budget cannot finish stops before its
 * timeout.
 */
export const playerAnalyzer = defineJob({
  description: 'Analyses discovered players for smurf and boosted behaviour',
  configSchema: playerAnalyzerConfig,
  async handler(config, ctx) {
    const deadline = softDeadline(ctx.deadline, ctx.signal);
    try {
      await analyse(config, ctx, deadline);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw endsTheRun(error) ? runError(error) : error;
    } finally {
      deadline.dispose();
    }
  },
});

/** Past the run's timeout: a run that dies leaves its players claimed until then. */
const CLAIM_MARGIN_MS = 60_000;

async function analyse(config: AnalyzerConfig, ctx: JobContext, deadline: SoftDeadline) {
  const claimUntil = new Date(ctx.deadline + CLAIM_MARGIN_MS);
  const due = await selectDuePlayers(ctx.prisma, {
    limit: config.unanalyzed_players_per_run,
    reanalyzeAfter: config.reanalyze_after_new_matches,
    queues: ANALYSED_QUEUES,
    claimUntil,
  });
  const failed = new Set<string>();
  try {
    await analyseDue(config, ctx, deadline, due, failed);
  } finally {
    // Saved players are no longer claimed, and failed ones wait for their retry (or, should
    // setting it fail, for their claim to lapse): the rest (left at the deadline, or by a failed
    // run) are due again at once.
    await releaseClaims(
      ctx.prisma,
      due.map((p) => p.puuid).filter((puuid) => !failed.has(puuid)),
      claimUntil,
    ).catch((error: unknown) => {
      // The run's own outcome stands; the claims lapse at claimUntil.
      ctx.logger.warn({ err: error }, 'Could not release the claim on players left unanalysed');
    });
  }
}

async function analyseDue(
  config: AnalyzerConfig,
  ctx: JobContext,
  deadline: SoftDeadline,
  due: DuePlayer[],
  failed: Set<string>,
) {
  const riot = ctx.riot.scoped({ signal: deadline.signal });
  const deps = {
    prisma: ctx.prisma,
    riot,
    store: createMatchStore(ctx.prisma),
    runMatches: new Map(),
    onSkipped: (matchId: string, reason: string) => ctx.itemFailed(matchId, reason),
  };
  const { ready, waiting } = await fetchHistory(deps, ctx, due, config, deadline);
  await analyseBatch(ctx, ready, config, failed);
  const left = due.length - ready.length - waiting;
  if (left > 0) {
    ctx.logger.warn(
      { players_left: left },
      'Stopped before the timeout: players left for the next run',
    );
  }
  await checkDueAccounts({ prisma: ctx.prisma, riot }, ctx, config, deadline);
  const notes = [
    ...(left > 0 ? [`${left} left for the next run`] : []),
    ...(waiting > 0 ? [`${waiting} waiting an hour after a failed fetch`] : []),
  ];
  ctx.progress({
    phase: `done: ${[`${ready.length} analysed`, ...notes].join(', ')}`,
    processed: due.length,
    total: due.length,
  });
  if (due.length > 0 && ready.length === 0) {
    throw new NothingDoneError('No player could be analysed', { failed: waiting, left });
  }
}
