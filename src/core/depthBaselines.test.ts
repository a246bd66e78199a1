import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { constantDepth, fitConstantDepth, fitRowProfile, rowProfileDepth } from './depthBaselines.ts';
import { decodeDepthPng, type DepthMap } from './depthMap.ts';
import { depthMetrics, medianScaled } from './depthMetrics.ts';
import { sharedDataPath } from './testData.ts';

const real = (id: string) => decodeDepthPng(readFileSync(sharedDataPath('nyuv2', 'depth_mm', `${id}.png`)));

describe('depth baselines on real NYUv2 depth', () => {
  const a = real('0003');
  const b = real('0010');

  it('constant depth is the geometric mean of the training pixels', () => {
    const logs = [...a.metres, ...b.metres].map(Math.log);
    expect(fitConstantDepth([a, b])).toBeCloseTo(Math.exp(logs.reduce((s, v) => s + v, 0) / logs.length), 6);
  });

  it('with one band per row, the row profile is each row’s mean log depth (slow reference)', () => {
    const profile = fitRowProfile([a], a.height);
    for (const y of [0, 100, 479]) {
      let sum = 0;
      for (let x = 0; x < a.width; x++) sum += Math.log(a.metres[y * a.width + x]);
      expect(profile[y]).toBeCloseTo(sum / a.width, 9);
    }
  });

  it('depth by row beats one depth on a photo it was not fitted on', () => {
    const others = ['0004', '0005', '0006', '0007'].map(real);
    const byRow = rowProfileDepth(fitRowProfile(others), b.width, b.height);
    const flat = constantDepth(b.width, b.height, fitConstantDepth(others));
    const score = (d: DepthMap) => depthMetrics(medianScaled(d.metres, b.metres), b.metres).rmseLog;
    expect(score(byRow)).toBeLessThan(score(flat));
  });
});
