import { describe, expect, it } from 'vitest';
import { depthMetrics, meanDepthMetrics, medianScaled, positiveMedian } from './depthMetrics.ts';

describe('depthMetrics', () => {
  it('matches values worked out by hand', () => {
    // ratios max(p/y, y/p): 2, 1, 1.5, 1.2, 1.9; the last pixel has no ground truth.
    const m = depthMetrics([1, 2, 3, 2.4, 3.8, 7], [2, 2, 2, 2, 2, 0]);
    const diffs = [-1, 0, 1, 0.4, 1.8];
    expect(m.rmse).toBeCloseTo(Math.sqrt((1 + 0 + 1 + 0.16 + 3.24) / 5), 12);
    const logs = [Math.log(0.5), 0, Math.log(1.5), Math.log(1.2), Math.log(1.9)];
    expect(m.rmseLog).toBeCloseTo(Math.sqrt(logs.reduce((s, l) => s + l * l, 0) / 5), 12);
    expect(m.absRel).toBeCloseTo((0.5 + 0 + 0.5 + 0.2 + 0.9) / 5, 12);
    expect(m.sqRel).toBeCloseTo(diffs.reduce((s, d) => s + (d * d) / 2, 0) / 5, 12);
    expect(m.delta1).toBeCloseTo(2 / 5, 12); // 1, 1.2
    expect(m.delta2).toBeCloseTo(3 / 5, 12); // + 1.5 < 1.5625
    expect(m.delta3).toBeCloseTo(4 / 5, 12); // + 1.9 < 1.953125
  });

  it('is perfect on a perfect prediction', () => {
    const m = depthMetrics([1.5, 3, 9], [1.5, 3, 9]);
    expect([m.rmse, m.rmseLog, m.absRel, m.sqRel]).toEqual([0, 0, 0, 0]);
    expect([m.delta1, m.delta2, m.delta3]).toEqual([1, 1, 1]);
  });

  it('refuses a non-positive prediction where the ground truth is valid', () => {
    expect(() => depthMetrics([0, 1], [1, 1])).toThrow(/not positive/);
  });
});

describe('median scaling', () => {
  it('takes medians over valid ground-truth pixels only', () => {
    // valid predictions 1, 2, 3 (median 2), ground truth 2, 4, 6 (median 4): scale 2.
    expect([...medianScaled([1, 2, 3, 100], [2, 4, 6, 0])]).toEqual([2, 4, 6, 200]);
  });

  it('averages the middle two of an even count', () => {
    expect(positiveMedian([4, 1, 0, 3, 2])).toBe(2.5);
  });

  it('makes any constant prediction score the same', () => {
    const gt = [1, 2, 3, 4, 5];
    const a = depthMetrics(medianScaled([7, 7, 7, 7, 7], gt), gt);
    const b = depthMetrics(medianScaled([0.1, 0.1, 0.1, 0.1, 0.1], gt), gt);
    expect(a.absRel).toBeCloseTo(b.absRel, 12);
  });
});

describe('meanDepthMetrics', () => {
  it('averages each measure over photos', () => {
    const a = depthMetrics([1], [2]);
    const b = depthMetrics([2], [2]);
    expect(meanDepthMetrics([a, b]).absRel).toBeCloseTo(0.25, 12);
  });
});
