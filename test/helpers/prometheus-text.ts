// A strict reader of the Prometheus text exposition format (version 0.0.4): it throws on any
// line, name, label, value or family structure the format does not allow.

export type Sample = { name: string; labels: Record<string, string>; value: number };
export type Family = { name: string; type: string; help: string | null; samples: Sample[] };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value: ${line}`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!m) throw new Error(`bad labels: ${line}`);
    const [whole, name, raw] = m as unknown as [string, string, string];
    if (!LABEL.test(name) || name in labels) throw new Error(`bad label ${name}: ${line}`);
    labels[name] = raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return labels;
}

function parseSample(line: string): Sample {
  const m = /^([^\s{]+)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/.exec(line);
  if (!m || !NAME.test(m[1] as string)) throw new Error(`bad sample: ${line}`);
  return {
    name: m[1] as string,
    labels: parseLabels(m[2] ?? '', line),
    value: parseValue(m[3] as string, line),
  };
}

function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  for (const [name, family] of families) {
    const suffixes = SUFFIXES[family.type] ?? [''];
    if (suffixes.some((s) => sample === name + s)) return family;
  }
  return undefined;
}

function checkHistograms(family: Family): void {
  const series = new Map<string, Sample[]>();
  for (const s of family.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket'));
    const count = samples.find((s) => s.name.endsWith('_count'));
    const sum = samples.find((s) => s.name.endsWith('_sum'));
    if (!count || !sum || buckets.length === 0) throw new Error(`${family.name}${key}: incomplete`);
    let previous = { le: Number.NEGATIVE_INFINITY, value: 0 };
    for (const b of buckets) {
      const le = parseValue(b.labels.le ?? 'missing', `${family.name} le`);
      if (le <= previous.le || b.value < previous.value) {
        throw new Error(`${family.name}${key}: buckets not cumulative`);
      }
      previous = { le, value: b.value };
    }
    if (previous.le !== Number.POSITIVE_INFINITY || previous.value !== count.value) {
      throw new Error(`${family.name}${key}: +Inf bucket must equal _count`);
    }
  }
}

/** Parses a /metrics body into its families, checking the format as it goes. */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | null = null;
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (meta) {
      const [, kind, name, rest = ''] = meta as unknown as [string, string, string, string?];
      if (!NAME.test(name)) throw new Error(`bad metric name: ${line}`);
      let family = families.get(name);
      if (family && family.samples.length > 0) throw new Error(`${kind} after samples: ${line}`);
      if (!family) {
        family = { name, type: 'untyped', help: null, samples: [] };
        families.set(name, family);
      }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest) || family.type !== 'untyped') throw new Error(`bad TYPE: ${line}`);
        family.type = rest;
      } else {
        if (family.help !== null) throw new Error(`second HELP: ${line}`);
        family.help = rest;
      }
      current = family;
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSample(line);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`sample without a family: ${line}`);
    if (family !== current) throw new Error(`samples of ${family.name} are not together`);
    const key = `${sample.name}${JSON.stringify(sample.labels)}`;
    if (seen.has(key)) throw new Error(`duplicate series: ${line}`);
    seen.add(key);
    if (family.type === 'counter' && !(sample.value >= 0))
      throw new Error(`negative counter: ${line}`);
    family.samples.push(sample);
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistograms(family);
  return families;
}

/** The value of one series (0 when absent: a counter not yet incremented). */
export function seriesValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) {
        if (Object.keys(s.labels).length === Object.keys(labels).length) return s.value;
      }
    }
  }
  return 0;
}

/** The sum of every series of `name` whose labels include `labels`. */
export function sumOf(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  let total = 0;
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) {
        total += s.value;
      }
    }
  }
  return total;
}
