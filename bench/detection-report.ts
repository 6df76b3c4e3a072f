import type { PrismaClient } from '../src/db/prisma.ts';
import type { GroundTruth } from '../src/riot/simulator/index.ts';

type Counts = { n: number; tp: number; fp: number; fn: number };
const empty = (): Counts => ({ n: 0, tp: 0, fp: 0, fn: 0 });
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  –  ');

function add(c: Counts, truth: boolean, predicted: boolean) {
  c.n += 1;
  if (predicted && truth) c.tp += 1;
  else if (predicted) c.fp += 1;
  else if (truth) c.fn += 1;
}

function scores(c: Counts) {
  const precision = c.tp / (c.tp + c.fp);
  const recall = c.tp / (c.tp + c.fn);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

/** Precision, recall and F1 of the stored flags, overall and by tier (the player's current one). */
export async function printQuality(prisma: PrismaClient, truth: GroundTruth['players']) {
  const rows = await prisma.$queryRaw<
    {
      puuid: string;
      tier: string | null;
      is_flagged: boolean;
      is_boosted: boolean;
      status: string | null;
      boosted_factors: unknown;
    }[]
  >`
    SELECT p.puuid, p.current_tier AS tier, p.is_flagged, p.is_boosted, a.status, a.boosted_factors
    FROM players p LEFT JOIN LATERAL (
      SELECT status, boosted_factors FROM player_analyses pa
      WHERE pa.puuid = p.puuid ORDER BY id DESC LIMIT 1
    ) a ON true`;
  const byPuuid = new Map(rows.map((r) => [r.puuid, r]));
  const smurf = empty();
  const boosted = empty();
  const tiers = new Map<string, { smurf: Counts; boosted: Counts }>();
  let insufficient = 0;
  const falseKinds = { smurf: new Map<string, number>(), boosted: new Map<string, number>() };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const label of truth) {
    const row = byPuuid.get(label.puuid);
    if (row?.status !== 'ok') insufficient += 1;
    const flagged = row?.status === 'ok' && row.is_flagged;
    const isBoosted = row?.status === 'ok' && row.is_boosted;
    if (flagged && !label.isSmurf) bump(falseKinds.smurf, label.label);
    if (isBoosted && !label.isBoosted) {
      bump(falseKinds.boosted, label.label);
      if (process.env.DETAIL)
        console.info('boosted fp', row?.tier, label.label, JSON.stringify(row?.boosted_factors));
    }
    add(smurf, label.isSmurf, flagged);
    add(boosted, label.isBoosted, isBoosted);
    const tier = row?.tier ?? 'UNRANKED';
    const t = tiers.get(tier) ?? { smurf: empty(), boosted: empty() };
    add(t.smurf, label.isSmurf, flagged);
    add(t.boosted, label.isBoosted, isBoosted);
    tiers.set(tier, t);
  }
  const s = scores(smurf);
  const b = scores(boosted);
  console.info(
    `labelled players: ${truth.length} (${insufficient} without a verdict: counted as not flagged)`,
  );
  console.info(
    `smurf:   P=${f3(s.precision)} R=${f3(s.recall)} F1=${f3(s.f1)} (tp ${smurf.tp}, fp ${smurf.fp}, fn ${smurf.fn})`,
  );
  console.info(
    `boosted: P=${f3(b.precision)} R=${f3(b.recall)} F1=${f3(b.f1)} (tp ${boosted.tp}, fp ${boosted.fp}, fn ${boosted.fn})`,
  );
  const kinds = (m: Map<string, number>) =>
    [...m].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.info(
    `false positives by kind: smurf: ${kinds(falseKinds.smurf)}; boosted: ${kinds(falseKinds.boosted)}`,
  );
  console.info('tier          n | smurf tp fp fn | boosted tp fp fn');
  for (const [tier, t] of [...tiers].sort()) {
    const c = (x: Counts) =>
      `${String(x.tp).padStart(3)} ${String(x.fp).padStart(2)} ${String(x.fn).padStart(2)}`;
    console.info(
      `${tier.padEnd(12)} ${String(t.smurf.n).padStart(3)} |      ${c(t.smurf)} |        ${c(t.boosted)}`,
    );
  }
}
