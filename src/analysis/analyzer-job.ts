import { z } from 'zod';
import { defineJob } from '../jobs/engine/index.ts';

export const playerAnalyzerConfig = z.strictObject({
  unanalyzed_players_per_run: z.number().int().min(1).max(500).default(15),
  min_smurf_confidence: z.number().min(0).max(1).default(0.5),
  ban_check_days: z.number().int().min(1).max(365).default(7),
});

/**
 * Analyzer scaffold: takes its batch (unanalyzed players, oldest discovery first)
 * and measures how many stored games each has, the input detection will need. It writes
 * nothing yet: marking players analyzed without an analysis would hide them from the real
 * detection (a later issue), which replaces this body.
 */
export const playerAnalyzer = defineJob({
  description: 'Analyses discovered players for smurf and boosted behaviour',
  configSchema: playerAnalyzerConfig,
  async handler(config, ctx) {
    const batch = await ctx.prisma.$queryRaw<{ puuid: string; games: number }[]>`
      SELECT p.puuid, (SELECT count(*)::int FROM match_participants mp WHERE mp.puuid = p.puuid) AS games
      FROM players p
      WHERE NOT p.is_analyzed
      ORDER BY p.discovered_at
      LIMIT ${config.unanalyzed_players_per_run}`;
    ctx.progress({ phase: 'players', processed: 0, total: batch.length });
    let processed = 0;
    for (const player of batch) {
      ctx.signal.throwIfAborted();
      processed += 1;
      ctx.progress({ phase: 'players', processed, total: batch.length });
      ctx.logger.debug({ puuid: player.puuid, games: player.games }, 'Player awaiting analysis');
    }
    ctx.logger.info(
      { players: batch.length, with_games: batch.filter((p) => p.games > 0).length },
      'Unanalyzed players counted (detection not yet wired)',
    );
  },
});
