import { describe, expect, it } from 'vitest';
import { playerAnalyzerConfig } from '../../../src/analysis/analyzer-job.ts';
import { type DetectionResult, isFlagged } from '../../../src/detection/index.ts';

const scored = (score: number): DetectionResult => ({
  status: 'ok',
  algorithmVersion: 'test',
  gamesAnalyzed: 20,
  smurf: { score, confidence: 'low', factors: [] },
  boosted: { score: 0, factors: [], duoPartner: null },
});

describe('default smurf flag threshold', () => {
  it("is the job's min_smurf_confidence default, 0.5, in detection too", () => {
    expect(playerAnalyzerConfig.parse({}).min_smurf_confidence).toBe(0.5);
    expect(isFlagged(scored(0.5)).smurf).toBe(true);
    expect(isFlagged(scored(0.49)).smurf).toBe(false);
  });
});
