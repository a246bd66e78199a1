import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { solveDualSoftmax } from './dualSoftmaxSolver.ts';

/** The primal objective written out directly: f(W, b) = −(1/N) Σ sᵢ log softmax(xᵢW + b)_{yᵢ} + λ‖W‖². */
function primalObjective(x: number[][], y: number[], s: number[], w: number[][], b: number[], lambda: number): number {
  let loss = 0;
  x.forEach((row, i) => {
    const z = b.map((bc, c) => bc + row.reduce((acc, v, d) => acc + v * w[d][c], 0));
    const max = Math.max(...z);
    const logSum = max + Math.log(z.reduce((acc, v) => acc + Math.exp(v - max), 0));
    loss -= (s[i] / x.length) * (z[y[i]] - logSum);
  });
  return loss + lambda * w.flat().reduce((acc, v) => acc + v * v, 0);
}

/** The obviously correct reference: plain gradient descent on W and b, numerically differentiated. */
function primalGradientDescent(x: number[][], y: number[], s: number[], k: number, lambda: number, steps: number): { w: number[][]; b: number[] } {
  const dims = x[0].length;
  const w = Array.from({ length: dims }, () => new Array<number>(k).fill(0));
  const b = new Array<number>(k).fill(0);
  const f = () => primalObjective(x, y, s, w, b, lambda);
  const h = 1e-6;
  const partial = (get: () => number, set: (v: number) => void) => {
    const v = get();
    set(v + h);
    const up = f();
    set(v - h);
    const down = f();
    set(v);
    return (up - down) / (2 * h);
  };
  for (let step = 0; step < steps; step++) {
    const gw = w.map((row, d) => row.map((_, c) => partial(() => w[d][c], (v) => (w[d][c] = v))));
    const gb = b.map((_, c) => partial(() => b[c], (v) => (b[c] = v)));
    gw.forEach((row, d) => row.forEach((g, c) => (w[d][c] -= 0.5 * g)));
    gb.forEach((g, c) => (b[c] -= 0.5 * g));
  }
  return { w, b };
}

function problem(n: number, dims: number, k: number, seed: number) {
  const random = seededRandom(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: dims }, () => random() * 2 - 1));
  const y = Array.from({ length: n }, (_, i) => i % k);
  const s = Array.from({ length: n }, () => 0.5 + random());
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) gram[i * n + j] = x[i].reduce((acc, v, d) => acc + v * x[j][d], 0);
  return { x, y, s, gram };
}

/** W = XᵀA. */
function primalWeights(x: number[][], alpha: Float64Array, k: number): number[][] {
  return x[0].map((_, d) => Array.from({ length: k }, (_, c) => x.reduce((acc, row, i) => acc + row[d] * alpha[i * k + c], 0)));
}

describe('solveDualSoftmax', () => {
  it('reaches the primal optimum that plain gradient descent reaches (N < D, and N > D with a singular Gram matrix)', () => {
    for (const [n, dims, k, lambda] of [
      [6, 9, 3, 0.05],
      [12, 4, 3, 0.1],
    ]) {
      const { x, y, s, gram } = problem(n, dims, k, n);
      const solved = solveDualSoftmax({ gram, labels: Int32Array.from(y), weights: Float64Array.from(s), classes: k, lambda });
      expect(solved.gradientNorm).toBeLessThan(1e-5);
      const w = primalWeights(x, solved.alpha, k);
      const reference = primalGradientDescent(x, y, s, k, lambda, 3000);
      const fSolved = primalObjective(x, y, s, w, Array.from(solved.bias), lambda);
      const fReference = primalObjective(x, y, s, reference.w, reference.b, lambda);
      expect(solved.loss).toBeCloseTo(fSolved, 9);
      expect(fSolved).toBeLessThanOrEqual(fReference + 1e-9);
      expect(fReference - fSolved).toBeLessThan(1e-6);
      w.flat().forEach((v, i) => expect(v).toBeCloseTo(reference.w.flat()[i], 3));
      // The bias is only defined up to a constant added to every class.
      const shift = solved.bias[0] - reference.b[0];
      solved.bias.forEach((v, c) => expect(v - shift).toBeCloseTo(reference.b[c], 3));
    }
  });

  it('separates one labelled row per class even with a strong penalty', () => {
    const { y, s, gram } = problem(3, 20, 3, 3);
    const solved = solveDualSoftmax({ gram, labels: Int32Array.from(y), weights: Float64Array.from(s), classes: 3, lambda: 1 });
    const logits = [0, 1, 2].map((i) => [0, 1, 2].map((c) => solved.bias[c] + [0, 1, 2].reduce((acc, j) => acc + gram[i * 3 + j] * solved.alpha[j * 3 + c], 0)));
    logits.forEach((z, i) => expect(z.indexOf(Math.max(...z))).toBe(i));
  });
});
