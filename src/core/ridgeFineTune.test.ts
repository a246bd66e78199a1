import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { fineTuneRidge } from './ridgeFineTune.ts';
import { fitRidge, predictRidge, ridgeStats, type RidgeModel } from './ridgeRegression.ts';

/**
 * Slow reference: the prior as pseudo-rows. Least squares over the rows [z, 1] → y plus, per feature, the row
 * √(λp)·e_j → √(λp)·w0_j is exactly the shrink-toward-w0 objective; solved by Gaussian elimination on its
 * normal equations.
 */
function referenceFineTune(base: RidgeModel, x: number[][], y: number[], lambda: number, penalty: number[]): (row: number[]) => number {
  const d = base.mean.length;
  const z = x.map((r) => r.map((v, j) => (v - base.mean[j]) / base.scale[j]));
  const rows = [...z.map((r, i) => ({ a: [...r, 1], t: y[i] })), ...penalty.map((p, j) => ({ a: Array.from({ length: d + 1 }, (_, k) => (k === j ? Math.sqrt(lambda * p) : 0)), t: Math.sqrt(lambda * p) * base.weights[j] }))];
  const m = Array.from({ length: d + 1 }, (_, j) => [...Array.from({ length: d + 1 }, (_, k) => rows.reduce((s, r) => s + r.a[j] * r.a[k], 0)), rows.reduce((s, r) => s + r.a[j] * r.t, 0)]);
  for (let c = 0; c <= d; c++) {
    const pivot = m.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? c + i : best), c);
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r <= d; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= d + 1; k++) m[r][k] -= f * m[c][k];
    }
  }
  const w = m.map((row, j) => row[d + 1] / row[j]);
  return (row) => w[d] + row.reduce((s, v, j) => s + (w[j] * (v - base.mean[j])) / base.scale[j], 0);
}

function problem(rows: number, dims: number, seed: number, shift: number): { x: number[][]; y: number[] } {
  const rand = seededRandom(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: dims }, (_, j) => rand() * (j + 1) + j));
  const y = x.map((r) => r.reduce((s, v, j) => s + v * (j % 2 ? 0.5 : -1 + shift), 3 + shift) + rand() - 0.5);
  return { x, y };
}

describe('fine-tuning a ridge regression toward its trained weights', () => {
  const trained = problem(60, 5, 1, 0);
  const base = fitRidge(ridgeStats(trained.x.flat(), trained.y, 5), { lambda: 1 });
  // The user's rows come from a shifted relation (another camera, other rooms), and are few.
  const own = problem(12, 5, 2, 0.4);

  it('matches the pseudo-row reference for several λ and per-feature penalties', () => {
    const penalty = [1, 1, 1e-3, 2, 1];
    for (const lambda of [0.1, 3, 100]) {
      const tuned = fineTuneRidge(base, own.x.flat(), own.y, { lambda, penalty });
      const reference = referenceFineTune(base, own.x, own.y, lambda, penalty);
      const got = predictRidge(tuned, own.x.flat(), own.x.length);
      own.x.forEach((row, i) => expect(got[i]).toBeCloseTo(reference(row), 7));
    }
  });

  it('keeps the trained weights under a huge λ and moves toward the new rows under a small one', () => {
    const stiff = fineTuneRidge(base, own.x.flat(), own.y, { lambda: 1e9 });
    stiff.weights.forEach((w, j) => expect(w).toBeCloseTo(base.weights[j], 4));
    const error = (m: RidgeModel) => predictRidge(m, own.x.flat(), own.x.length).reduce((s, p, i) => s + (p - own.y[i]) ** 2, 0);
    const loose = fineTuneRidge(base, own.x.flat(), own.y, { lambda: 0.01 });
    expect(error(loose)).toBeLessThan(error(stiff));
    expect(error(stiff)).toBeLessThan(error(base));
  });

  it('refuses rows that do not fit the model', () => {
    expect(() => fineTuneRidge(base, [1, 2, 3], [1], { lambda: 1 })).toThrow(/3 feature values for 1 rows of 5/);
    expect(() => fineTuneRidge(base, [], [], { lambda: 1 })).toThrow(/no rows/);
  });
});
