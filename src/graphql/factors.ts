/** One detection factor as the API shows it. */
export type FactorView = {
  name: string;
  score: number | null;
  weight: number | null;
  explanation: string | null;
  details: unknown;
};

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

function view(name: string, raw: Raw): FactorView {
  const {
    score,
    weight,
    explanation,
    description,
    name: _n,
    factor: _f,
    key: _k,
    ...details
  } = raw;
  return {
    name,
    score: num(score),
    weight: num(weight),
    explanation: str(explanation) ?? str(description),
    details: Object.keys(details).length > 0 ? details : null,
  };
}

/**
 * Reads `smurf_factors` / `boosted_factors` jsonb: a list of `{ name, score, weight?,
 * explanation }` or an object keyed by factor name. Entries of neither shape are skipped: the
 * rows outlive algorithm versions, so the reader is lenient rather than failing a query.
 */
export function parseFactors(json: unknown): FactorView[] {
  if (Array.isArray(json)) {
    return json.filter(isObject).map((raw, i) => {
      const name = str(raw.name) ?? str(raw.factor) ?? str(raw.key) ?? `factor_${i + 1}`;
      return view(name, raw);
    });
  }
  if (isObject(json)) {
    return Object.entries(json).map(([name, value]) =>
      isObject(value) ? view(name, value) : view(name, { score: value }),
    );
  }
  return [];
}
