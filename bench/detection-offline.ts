/**
 * Detection accuracy on simulated players, without HTTP or a database.
 * Run: node --import tsx bench/detection-offline.ts [--seeds 31,32] [--players 100] [--rounds 60]
 *        [--baselines calibrated|default] [--snapshots all|last] [--smurf-flag 0.5]
 *        [--boosted-flag 0.5] [--detail]
 * The factors' ranges were tuned on seeds 7, 9, 10 and 12; 31 and 32 are the held-out report.
 * --players is per platform (five platforms). "calibrated" derives the baselines from the same
 * population's games, labels unseen, as the service would from its stored matches. "--snapshots
 * last" keeps only the final rank snapshot, as for a player first seen just now.
 */
import { parseArgs } from 'node:util';
import {
  analyzePlayer,
  calibrateBaselines,
  DEFAULT_BASELINES,
  DEFAULT_SETTINGS,
  type DetectionResult,
  isFlagged,
  TIERS,
} from '../src/detection/index.ts';
import { type LabelledInput, simulatePlayers } from './detection-sim.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '31,32' },
    players: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '60' },
    baselines: { type: 'string', default: 'calibrated' },
    snapshots: { type: 'string', default: 'all' },
    'smurf-flag': { type: 'string', default: String(DEFAULT_SETTINGS.smurfFlagScore) },
    'boosted-flag': { type: 'string', default: String(DEFAULT_SETTINGS.boostedFlagScore) },
    detail: { type: 'boolean', default: false },
  },
});

const thresholds = {
  smurfFlagScore: Number(values['smurf-flag']),
  boostedFlagScore: Number(values['boosted-flag']),
};

type Counts = { tp: number; fp: number; fn: number; n: number };
const empty = (): Counts => ({ tp: 0, fp: 0, fn: 0, n: 0 });
const ratio = (a: number, b: number) => (b ? a / b : Number.NaN);
function line(label: string, c: Counts): string {
  const p = ratio(c.tp, c.tp + c.fp);
  const r = ratio(c.tp, c.tp + c.fn);
  const f1 = (2 * p * r) / (p + r);
  const f = (x: number) => (Number.isNaN(x) ? '  –  ' : x.toFixed(3));
  return `${label.padEnd(12)} n=${String(c.n).padStart(4)} tp=${String(c.tp).padStart(3)} fp=${String(c.fp).padStart(3)} fn=${String(c.fn).padStart(3)}  P=${f(p)} R=${f(r)} F1=${f(f1)}`;
}
function count(map: Map<string, Counts>, key: string, truth: boolean, flagged: boolean) {
  const c = map.get(key) ?? empty();
  c.n++;
  if (flagged && truth) c.tp++;
  else if (flagged) c.fp++;
  else if (truth) c.fn++;
  map.set(key, c);
}

function detail(players: LabelledInput[], results: DetectionResult[]) {
  const byKind = new Map<string, { n: number; smurf: number; boosted: number; f: number[] }>();
  results.forEach((r, i) => {
    if (!r.smurf || !r.boosted) return;
    const kind = players[i]?.kind ?? '?';
    const k = byKind.get(kind) ?? { n: 0, smurf: 0, boosted: 0, f: [] };
    k.n++;
    k.smurf += r.smurf.score;
    k.boosted += r.boosted.score;
    [...r.smurf.factors, ...r.boosted.factors].forEach((f, j) => {
      k.f[j] = (k.f[j] ?? 0) + f.score;
    });
    byKind.set(kind, k);
  });
  const keys = results.find((r) => r.smurf)?.smurf?.factors.map((f) => f.key) ?? [];
  const bKeys = results.find((r) => r.boosted)?.boosted?.factors.map((f) => f.key) ?? [];
  console.log(`  mean scores: ${['smurf', 'boosted', ...keys, ...bKeys].join(' ')}`);
  for (const [kind, k] of byKind)
    console.log(
      `  ${kind.padEnd(8)} ${[k.smurf, k.boosted, ...k.f].map((x) => (x / k.n).toFixed(2)).join(' ')}`,
    );
}

for (const seed of values.seeds.split(',').map(Number)) {
  const started = performance.now();
  const players = simulatePlayers(seed, Number(values.players), Number(values.rounds));
  if (values.snapshots === 'last')
    for (const p of players) p.input = { ...p.input, snapshots: p.input.snapshots.slice(-1) };
  const simulatedMs = performance.now() - started;
  const baselines =
    values.baselines === 'default'
      ? DEFAULT_BASELINES
      : calibrateBaselines(players.map((p) => p.input));
  const results = players.map((p) => analyzePlayer(p.input, { baselines }));
  const t0 = performance.now(); // second, warm pass
  for (const p of players) analyzePlayer(p.input, { baselines });
  const perPlayerMs = (performance.now() - t0) / players.length;
  const smurf = new Map<string, Counts>();
  const boosted = new Map<string, Counts>();
  let insufficient = 0;
  results.forEach((r, i) => {
    const { input, kind } = players[i] as LabelledInput;
    if (r.status === 'insufficient_data') insufficient++;
    const flags = isFlagged(r, thresholds);
    for (const tier of ['ALL', input.currentTier ?? 'UNRANKED']) {
      count(smurf, tier, kind === 'smurf', flags.smurf);
      count(boosted, tier, kind === 'boosted', flags.boosted);
    }
  });
  const games = players.reduce((s, p) => s + p.input.games.length, 0) / players.length;
  console.log(
    `seed ${seed}: ${players.length} players, ${games.toFixed(1)} games each, ${insufficient} insufficient; simulated in ${(simulatedMs / 1000).toFixed(1)} s, analysed in ${(perPlayerMs * 1000).toFixed(0)} µs/player (warm); baselines: ${baselines.source}`,
  );
  for (const [name, map] of [
    ['smurf', smurf],
    ['boosted', boosted],
  ] as const) {
    console.log(` ${name}`);
    const order = ['ALL', ...TIERS, 'UNRANKED'];
    const tiers = [...map.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    for (const tier of tiers) console.log(`  ${line(tier, map.get(tier) ?? empty())}`);
  }
  if (values.detail) detail(players, results);
}
