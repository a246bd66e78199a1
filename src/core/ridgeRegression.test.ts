import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { fitRidge, predictRidge, ridgeStats, sumStats } from './ridgeRegression.ts';

/** Slow reference: standardize the rows explicitly, then Gaussian elimination on the normal equations. */
function referenceRidge(x: number[][], y: number[], lambda: number, penalty: number[]): { predict: (row: number[]) => number } {
  const n = x.length;
  const d = x[0].length;
  const mean = x[0].map((_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const sd = mean.map((m, j) => Math.sqrt(x.reduce((s, r) => s + (r[j] - m) ** 2, 0) / n));
  const z = x.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  const a = Array.from({ length: d }, (_, j) => [
    ...Array.from({ length: d }, (_, k) => z.reduce((s, r) => s + r[j] * r[k], 0) + (j === k ? lambda * penalty[j] : 0)),
    z.reduce((s, r, i) => s + r[j] * (y[i] - yMean), 0),
  ]);
  for (let c = 0; c < d; c++) {
    const pivot = a.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(a[best][c]) ? c + i : best), c);
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= d; k++) a[r][k] -= f * a[c][k];
    }
  }
  const w = a.map((row, j) => row[d] / row[j]);
  return { predict: (row) => yMean + row.reduce((s, v, j) => s + (w[j] * (v - mean[j])) / sd[j], 0) };
}

function problem(rows: number, dims: number, seed: number): { x: number[][]; y: number[] } {
  const rand = seededRandom(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: dims }, (_, j) => rand() * (j + 1) + j));
  const y = x.map((r) => r.reduce((s, v, j) => s + v * (j % 2 ? 0.5 : -1), 3) + rand() - 0.5);
  return { x, y };
}

describe('ridge regression', () => {
  it('matches the slow reference for several λ and per-feature penalties', () => {
    const { x, y } = problem(40, 6, 3);
    const stats = ridgeStats(x.flat(), y, 6);
    const penalty = [1, 1, 1e-4, 1, 2, 1];
    for (const lambda of [0.01, 1, 30]) {
      const model = fitRidge(stats, { lambda, penalty });
      const reference = referenceRidge(x, y, lambda, penalty);
      const got = predictRidge(model, x.flat(), x.length);
      x.forEach((row, i) => expect(got[i]).toBeCloseTo(reference.predict(row), 8));
    }
  });

  it('adds up groups to the statistics of their union', () => {
    const { x, y } = problem(30, 4, 9);
    const whole = ridgeStats(x.flat(), y, 4);
    const parts = sumStats([ridgeStats(x.slice(0, 11).flat(), y.slice(0, 11), 4), ridgeStats(x.slice(11).flat(), y.slice(11), 4)]);
    expect(parts.rows).toBe(whole.rows);
    parts.gram.forEach((v, i) => expect(v).toBeCloseTo(whole.gram[i], 9));
    parts.xy.forEach((v, i) => expect(v).toBeCloseTo(whole.xy[i], 9));
  });

  it('gives a constant feature no weight', () => {
    const { x, y } = problem(20, 3, 5);
    const withConstant = x.map((r) => [...r, 7]);
    const model = fitRidge(ridgeStats(withConstant.flat(), y, 4), { lambda: 1 });
    expect(model.weights[3]).toBe(0);
    const reference = referenceRidge(x, y, 1, [1, 1, 1]);
    expect(predictRidge(model, withConstant[0], 1)[0]).toBeCloseTo(reference.predict(x[0]), 8);
  });
});
