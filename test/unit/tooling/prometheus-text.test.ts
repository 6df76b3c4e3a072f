import { describe, expect, test } from 'vitest';
import { parsePrometheusText, seriesValue, sumOf } from '../../helpers/prometheus-text.ts';

const VALID = `# HELP jobs_total Runs.
# TYPE jobs_total counter
jobs_total{type="a",status="ok"} 3
jobs_total{type="b\\"q\\\\",status="ok"} 1.5e1
# HELP wait_seconds Wait.
# TYPE wait_seconds histogram
wait_seconds_bucket{le="0.1",r="x"} 1
wait_seconds_bucket{le="1",r="x"} 2
wait_seconds_bucket{le="+Inf",r="x"} 3
wait_seconds_sum{r="x"} 2.5
wait_seconds_count{r="x"} 3
# TYPE up gauge
up NaN
`;

describe('the Prometheus text parser used by the /metrics tests', () => {
  test('reads families, labels (escapes included) and values', () => {
    const families = parsePrometheusText(VALID);
    expect([...families.keys()]).toEqual(['jobs_total', 'wait_seconds', 'up']);
    expect(families.get('wait_seconds')?.type).toBe('histogram');
    expect(seriesValue(families, 'jobs_total', { type: 'b"q\\', status: 'ok' })).toBe(15);
    expect(sumOf(families, 'jobs_total')).toBe(18);
    expect(seriesValue(families, 'wait_seconds_count', { r: 'x' })).toBe(3);
    expect(seriesValue(families, 'jobs_total', { type: 'z', status: 'ok' })).toBe(0);
  });

  test.each([
    ['no final newline', VALID.trimEnd()],
    ['a bad metric name', `${VALID}# TYPE 9x gauge\n9x 1\n`],
    ['an unknown type', VALID.replace('gauge', 'meter')],
    ['TYPE after samples', `${VALID}# TYPE up gauge\n`],
    ['a duplicate series', `${VALID}up 1\n`],
    ['samples apart', `${VALID}jobs_total{type="c",status="ok"} 1\n`],
    ['a sample without family', `${VALID}# TYPE x counter\ny 1\n`],
    ['a negative counter', VALID.replace('} 3', '} -3')],
    ['a bad value', VALID.replace('} 3', '} three')],
    ['a bad label escape', VALID.replace('\\"q', '\\tq')],
    ['a repeated label', VALID.replace('status="ok"} 3', 'status="ok",status="no"} 3')],
    ['buckets not cumulative', VALID.replace('r="x"} 2\n', 'r="x"} 0\n')],
    ['+Inf bucket unlike _count', VALID.replace('count{r="x"} 3', 'count{r="x"} 4')],
    ['a histogram without _sum', VALID.replace('wait_seconds_sum{r="x"} 2.5\n', '')],
  ])('rejects %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
