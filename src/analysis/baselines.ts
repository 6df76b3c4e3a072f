import { createHash } from 'node:crypto';
import type { PrismaClient } from '../db/prisma.ts';
import { type Baselines, calibrateBaselines, DEFAULT_BASELINES } from '../detection/index.ts';
import { eligibleGame } from './eligible-games.ts';
import { ANALYSED_QUEUES, loadPlayerInputs } from './player-inputs.ts';

/** Players with a known tier and enough games detection counts, that calibration reads. */
const SAMPLE_SIZE = 400;
/** Fewer usable players than this: the default table is a better guess. */
const MIN_SAMPLE = 150;
const TTL_MS = 60 * 60 * 1000;

export type BaselineChoice = { baselines: Baselines; tag: string };

const cache = new WeakMap<PrismaClient, { at: number; choice: BaselineChoice }>();

/**
 * Per-tier baselines calibrated on the players riftwatch stored (no labels needed), recomputed
 * at most hourly; the default table until enough players are stored. `tag` goes into the
 * analysis' algorithm version, so results on different baselines are told apart.
 */
export async function currentBaselines(
  prisma: PrismaClient,
  options: { minGames: number; now: Date },
): Promise<BaselineChoice> {
  const cached = cache.get(prisma);
  if (cached && options.now.getTime() - cached.at < TTL_MS) return cached.choice;
  const queues = [...ANALYSED_QUEUES];
  const sample = await prisma.$queryRaw<{ puuid: string }[]>`
    SELECT p.puuid FROM players p
    WHERE p.current_tier IS NOT NULL
      AND (SELECT count(*) FROM (
            SELECT 1 FROM match_participants mp JOIN matches m USING (match_id)
            WHERE mp.puuid = p.puuid AND mp.queue_id = ANY(${queues}::int[])
              AND ${eligibleGame('mp', 'm')}
            LIMIT ${options.minGames}) enough) >= ${options.minGames}
    ORDER BY p.puuid LIMIT ${SAMPLE_SIZE}`;
  let choice: BaselineChoice = { baselines: DEFAULT_BASELINES, tag: 'default' };
  if (sample.length >= MIN_SAMPLE) {
    const inputs = await loadPlayerInputs(
      prisma,
      sample.map((s) => s.puuid),
      { maxGames: 40 },
    );
    const baselines = calibrateBaselines([...inputs.values()], { fallback: DEFAULT_BASELINES });
    choice = { baselines, tag: calibratedTag(sample.length, baselines) };
  }
  cache.set(prisma, { at: options.now.getTime(), choice });
  return choice;
}

/** The sample's size and a fingerprint of the table: the sample is capped, so its size alone
 * would give every later calibration the same tag. */
export function calibratedTag(sampleSize: number, baselines: Baselines): string {
  const hash = createHash('sha256').update(JSON.stringify(baselines)).digest('hex');
  return `calibrated-${sampleSize}-${hash.slice(0, 8)}`;
}
