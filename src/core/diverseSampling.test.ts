import { describe, it, expect } from 'vitest';
import {
  SPATIAL_SIGMA_FRACTION,
  backgroundAffinity,
  diverseSample,
  normalizeFeatureSet,
  samplePoints,
  spatialDiverseSample,
  topKSample,
  type SampledPoint,
} from './diverseSampling.ts';
import { seededRandom } from './clickProtocol.ts';

interface RefOptions {
  background: number;
  backgroundK: number;
  allowed: (c: number, i: number) => boolean;
}

/**
 * Slow reference: eqs. 4.3.3–4.3.5 transcribed literally, recomputing every inner max over all earlier points.
 * Same conventions as the module: lowest index on ties, no location twice per class, background skips foreground
 * picks, and the max over an empty set of (non-negative) similarities is 0.
 */
function referenceSample(scores: Float32Array, C: number, classes: number[], n: number, k: number, sim: (i: number, j: number) => number, o: RefOptions): SampledPoint[] {
  const S = (i: number, c: number) => scores[i * C + c];
  const out: SampledPoint[] = [];
  const foreground: number[] = [];
  for (const c of classes) {
    const xs: number[] = [];
    while (xs.length < k) {
      let best = -1;
      let bestValue = 0;
      for (let i = 0; i < n; i++) {
        if (xs.includes(i) || !o.allowed(c, i)) continue;
        let v: number;
        if (xs.length === 0) {
          v = S(i, c); // (4.3.3)
        } else {
          let m = -Infinity;
          for (const x of xs) m = Math.max(m, sim(i, x));
          v = S(i, c) * (1 - m); // (4.3.4)
        }
        if (best < 0 || v > bestValue) {
          best = i;
          bestValue = v;
        }
      }
      if (best < 0) break;
      xs.push(best);
    }
    xs.forEach((index, j) => out.push({ index, classIndex: c, order: j + 1 }));
    foreground.push(...xs);
  }
  const bgs: number[] = [];
  while (bgs.length < o.backgroundK) {
    let best = -1;
    let bestValue = 0;
    for (let i = 0; i < n; i++) {
      if (foreground.includes(i) || bgs.includes(i) || !o.allowed(o.background, i)) continue;
      let a = 0;
      for (const x of foreground) a = Math.max(a, sim(i, x));
      let b = 0;
      for (const x of bgs) b = Math.max(b, sim(i, x));
      const v = Math.max(a, b); // (4.3.5)
      if (best < 0 || v < bestValue) {
        best = i;
        bestValue = v;
      }
    }
    if (best < 0) break;
    bgs.push(best);
  }
  bgs.forEach((index, j) => out.push({ index, classIndex: o.background, order: j + 1 }));
  return out;
}

function dotSim(z: Float32Array, dim: number) {
  return (i: number, j: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += z[i * dim + d] * z[j * dim + d];
    return Math.abs(s);
  };
}

interface RandomCase {
  n: number;
  dim: number;
  C: number;
  z: Float32Array;
  scores: Float32Array;
  centroids: Float32Array;
  classes: number[];
  allowed: (c: number, i: number) => boolean;
  restricted: boolean;
}

/** Clustered features with exact duplicates (same score too, so exact ties), a few zero vectors, quantized scores. */
function randomCase(seed: number): RandomCase {
  const rand = seededRandom(seed);
  const n = 200;
  const dim = 16;
  const C = 4;
  const protos = Array.from({ length: 8 }, () => Array.from({ length: dim }, () => rand() * 2 - 1));
  const raw = new Float32Array(n * dim);
  const scores = new Float32Array(n * C);
  const centroids = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const p = protos[Math.floor(rand() * protos.length)];
    for (let d = 0; d < dim; d++) raw[i * dim + d] = d === 3 ? 0.1 : p[d] + 0.3 * (rand() - 0.5);
    for (let c = 0; c < C; c++) scores[i * C + c] = Math.round(rand() * 8) / 8;
    centroids[2 * i] = Math.round(rand() * 99);
    centroids[2 * i + 1] = Math.round(rand() * 79);
  }
  for (let t = 0; t < 25; t++) {
    const i = 1 + Math.floor(rand() * (n - 1));
    const j = Math.floor(rand() * i);
    raw.copyWithin(i * dim, j * dim, (j + 1) * dim);
    if (rand() < 0.7) scores.copyWithin(i * C, j * C, (j + 1) * C);
  }
  const [z] = normalizeFeatureSet([{ features: raw, n }], dim);
  for (let t = 0; t < 3; t++) {
    const i = Math.floor(rand() * n);
    z.fill(0, i * dim, (i + 1) * dim);
  }
  if (seed % 3 === 0) for (let i = 0; i < n; i++) scores[i * C + 3] = 0; // a class with all-zero scores
  if (seed % 4 === 1) for (let i = 0; i < n; i++) scores[i * C + 2] -= 0.75; // partly negative scores
  const pool = [1, 2, 3];
  const classes = seed % 5 === 4 ? [] : pool.filter(() => rand() < 0.7);
  if (classes.length === 0 && seed % 5 !== 4) classes.push(1);
  const restricted = seed % 2 === 0;
  const lo = new Map<number, number>(pool.map((c) => [c, Math.floor(rand() * 100)]));
  const allowed = (c: number, i: number) => !restricted || (c === 0 ? i % 3 !== 0 : i >= lo.get(c)! && i < lo.get(c)! + 60);
  return { n, dim, C, z, scores, centroids, classes, allowed, restricted };
}

describe('diverseSample against the literal equations', () => {
  for (let seed = 1; seed <= 10; seed++) {
    it(`seed ${seed}: same points, same order, as the slow reference`, () => {
      const t = randomCase(seed);
      const k = 10;
      const backgroundK = seed % 2 === 0 ? 10 : 7;
      const fast = diverseSample(t.scores, t.classes, t.z, t.dim, k, { backgroundK, allowed: t.restricted ? t.allowed : undefined });
      const ref = referenceSample(t.scores, t.C, t.classes, t.n, k, dotSim(t.z, t.dim), { background: 0, backgroundK, allowed: t.allowed });
      expect(fast.points).toEqual(ref);
      expect(fast.points.filter((p) => p.classIndex === 0)).toHaveLength(backgroundK);
      for (const c of t.classes) expect(fast.points.filter((p) => p.classIndex === c)).toHaveLength(k);
    });
  }

  it('a different background index labels the background points and is excluded from F', () => {
    const t = randomCase(3);
    const fast = diverseSample(t.scores, [0, 1], t.z, t.dim, 5, { background: 2, backgroundK: 4 });
    const ref = referenceSample(t.scores, t.C, [0, 1], t.n, 5, dotSim(t.z, t.dim), { background: 2, backgroundK: 4, allowed: () => true });
    expect(fast.points).toEqual(ref);
    expect(fast.points.slice(-4).every((p) => p.classIndex === 2)).toBe(true);
  });
});

describe('spatialDiverseSample and topKSample against references', () => {
  for (const seed of [2, 5, 9]) {
    it(`seed ${seed}: spatial = the same greedy with the Gaussian kernel`, () => {
      const t = randomCase(seed);
      const sigma = SPATIAL_SIGMA_FRACTION * Math.hypot(100, 80);
      const sim = (i: number, j: number) => {
        const dx = t.centroids[2 * i] - t.centroids[2 * j];
        const dy = t.centroids[2 * i + 1] - t.centroids[2 * j + 1];
        return Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      };
      const allowed = t.restricted ? t.allowed : undefined;
      const fast = spatialDiverseSample(t.scores, t.classes, t.centroids, 10, { width: 100, height: 80, allowed });
      expect(fast.points).toEqual(referenceSample(t.scores, t.C, t.classes, t.n, 10, sim, { background: 0, backgroundK: 10, allowed: t.allowed }));
      // σ defaults to the fraction of the diagonal.
      expect(spatialDiverseSample(t.scores, t.classes, t.centroids, 10, { width: 100, height: 80, sigma, allowed })).toEqual(fast);
    });

    it(`seed ${seed}: top-k = the k best scores per class, background the lowest max foreground score`, () => {
      const t = randomCase(seed);
      const k = 10;
      const fast = topKSample(t.scores, t.classes, t.n, k, { allowed: t.allowed });
      const expected: SampledPoint[] = [];
      const fg = new Set<number>();
      const byKey = (key: (i: number) => number) => (a: number, b: number) => key(a) - key(b) || a - b;
      for (const c of t.classes) {
        const idx = [...Array(t.n).keys()].filter((i) => t.allowed(c, i)).sort(byKey((i) => -t.scores[i * t.C + c])).slice(0, k);
        idx.forEach((index, j) => expected.push({ index, classIndex: c, order: j + 1 }));
        idx.forEach((i) => fg.add(i));
      }
      const maxFg = (i: number) => (t.classes.length ? Math.max(...t.classes.map((c) => t.scores[i * t.C + c])) : 0);
      [...Array(t.n).keys()]
        .filter((i) => !fg.has(i) && t.allowed(0, i))
        .sort(byKey(maxFg))
        .slice(0, k)
        .forEach((index, j) => expected.push({ index, classIndex: 0, order: j + 1 }));
      expect(fast.points).toEqual(expected);
    });
  }
});

describe('normalizeFeatureSet', () => {
  it('matches a direct computation: per-dimension z-score over all photos, then unit rows', () => {
    const rand = seededRandom(42);
    const dim = 6;
    const sets = [7, 12, 1].map((n) => {
      const features = new Float32Array(n * dim);
      for (let i = 0; i < features.length; i++) features[i] = (i % dim === 2 ? 0.1 : (rand() - 0.3) * (1 + (i % dim)) * 10);
      return { features, n };
    });
    const out = normalizeFeatureSet(sets, dim);
    const all = sets.flatMap(({ features, n }) => Array.from({ length: n }, (_, i) => Array.from(features.subarray(i * dim, (i + 1) * dim))));
    const N = all.length;
    const mean = Array.from({ length: dim }, (_, d) => all.reduce((s, r) => s + r[d], 0) / N);
    const std = Array.from({ length: dim }, (_, d) => Math.sqrt(all.reduce((s, r) => s + (r[d] - mean[d]) ** 2, 0) / N));
    let row = 0;
    sets.forEach(({ n }, s) => {
      expect(out[s]).toHaveLength(n * dim);
      for (let i = 0; i < n; i++, row++) {
        const v = all[row].map((x, d) => (d === 2 ? 0 : (x - mean[d]) / std[d]));
        const norm = Math.hypot(...v);
        for (let d = 0; d < dim; d++) expect(out[s][i * dim + d]).toBeCloseTo(v[d] / norm, 5);
        expect(out[s][i * dim + 2]).toBe(0); // constant dimension: scale 0, despite 0.1 not summing exactly
        expect(Math.hypot(...out[s].subarray(i * dim, (i + 1) * dim))).toBeCloseTo(1, 5);
      }
    });
  });

  it('leaves a vector equal to the mean at zero, and handles no locations', () => {
    const features = new Float32Array([1, 2, -1, -2, 0, 0]);
    const [z] = normalizeFeatureSet([{ features, n: 3 }], 2);
    expect(Array.from(z.subarray(4))).toEqual([0, 0]);
    expect(Math.hypot(z[0], z[1])).toBeCloseTo(1, 6);
    expect(normalizeFeatureSet([{ features: new Float32Array(0), n: 0 }], 4)).toEqual([new Float32Array(0)]);
    expect(() => normalizeFeatureSet([{ features: new Float32Array(5), n: 3 }], 2)).toThrow(RangeError);
    expect(() => normalizeFeatureSet([{ features: new Float32Array([NaN, 0]), n: 1 }], 2)).toThrow(RangeError);
  });
});

/** Rows scaled to unit norm (dim 4). */
function rows(...vs: number[][]): Float32Array {
  return new Float32Array(vs.flatMap((v) => {
    const norm = Math.hypot(...v);
    return v.map((x) => (norm > 0 ? x / norm : 0));
  }));
}
const e1 = [1, 0, 0, 0];
const e2 = [0, 1, 0, 0];
const e3 = [0, 0, 1, 0];
const e4 = [0, 0, 0, 1];

/** Scores [n × 2]: column 0 (background) zero, column 1 the given class scores. */
function oneClass(s: number[]): Float32Array {
  return new Float32Array(s.flatMap((v) => [0, v]));
}

const ofClass = (r: { points: SampledPoint[] }, c: number) => r.points.filter((p) => p.classIndex === c).map((p) => p.index);

describe('diverseSample: hand-made cases', () => {
  it('never takes a second identical feature vector before a dissimilar one of slightly lower score', () => {
    const z = rows(e1, e1, e2, e1);
    const scores = oneClass([1, 0.99, 0.9, 0.98]);
    const r = diverseSample(scores, [1], z, 4, 3, { backgroundK: 0 });
    expect(r.points).toEqual([
      { index: 0, classIndex: 1, order: 1 },
      { index: 2, classIndex: 1, order: 2 },
      { index: 1, classIndex: 1, order: 3 }, // all left are copies of 0 (objective 0): lowest index
    ]);
  });

  it('puts the background at the location most dissimilar to the foreground, then diverse', () => {
    const z = rows(e1, [1, 1, 0, 0], [0, 0, 1, 0.2], [1, 0, 1, 0], [0, 0, 0.2, 1], e2);
    const scores = oneClass([1, 0.5, 0.1, 0.2, 0.1, 0.1]);
    const affinity = backgroundAffinity(z, 4, [0, 5]);
    expect(Array.from(affinity).map((v) => +v.toFixed(4))).toEqual([1, 0.7071, 0, 0.7071, 0, 1]);
    const r = diverseSample(scores, [1], z, 4, 1, { backgroundK: 3 });
    expect(ofClass(r, 1)).toEqual([0]);
    // Rows 2, 4 and 5 are orthogonal to e1: the lowest index first; then 5 (orthogonal to row 2 as well); then 4
    // (|dot| ≈ 0.38 with row 2) beats 1 and 3 (≈ 0.71 with e1).
    expect(ofClass(r, 0)).toEqual([2, 5, 4]);
    expect(backgroundAffinity(z, 4, [])).toEqual(new Float32Array(6));
    expect(() => backgroundAffinity(z, 4, [6])).toThrow(RangeError);
  });

  it('with F empty: the first background point is the lowest allowed index, the rest mutually diverse', () => {
    const z = rows(e1, e1, [1, 0.1, 0, 0], e2, e3);
    const scores = new Float32Array(5 * 2);
    expect(ofClass(diverseSample(scores, [], z, 4, 3), 0)).toEqual([0, 3, 4]);
    const r = diverseSample(scores, [], z, 4, 3, { allowed: (_c, i) => i !== 0 });
    expect(r.points).toEqual([
      { index: 1, classIndex: 0, order: 1 },
      { index: 3, classIndex: 0, order: 2 },
      { index: 4, classIndex: 0, order: 3 },
    ]);
  });

  it('a class with all-zero scores picks the lowest indices; negative scores follow the formula literally', () => {
    const z = rows(e1, e2, e3, e4, e1);
    expect(ofClass(diverseSample(oneClass([0, 0, 0, 0, 0]), [1], z, 4, 3, { backgroundK: 0 }), 1)).toEqual([0, 1, 2]);
    // S·(1 − m) with S < 0 grows toward 0 as m → 1: the copy of the first pick (row 4) comes second.
    expect(ofClass(diverseSample(oneClass([-0.1, -0.5, -0.5, -0.5, -0.6]), [1], z, 4, 2, { backgroundK: 0 }), 1)).toEqual([0, 4]);
  });

  it('respects allowed for each class and the background', () => {
    const rand = seededRandom(7);
    const n = 30;
    const z = new Float32Array(n * 4).map(() => rand() - 0.5);
    const [zn] = normalizeFeatureSet([{ features: z, n }], 4);
    const scores = new Float32Array(n * 3).map(() => rand());
    const inBox = (c: number, i: number) => (c === 1 ? i >= 5 && i < 12 : c === 2 ? i >= 20 : i < 5 || (i >= 12 && i < 20));
    const r = diverseSample(scores, [1, 2], zn, 4, 4, { allowed: inBox });
    for (const p of r.points) expect(inBox(p.classIndex, p.index)).toBe(true);
    expect(ofClass(r, 1)).toHaveLength(4);
    expect(ofClass(r, 0)).toHaveLength(4);
  });

  it('stops when the locations run out (n < k); background takes only what the foreground left', () => {
    const z = rows(e1, e2, e3);
    const scores = new Float32Array([0, 0.2, 0.9, 0, 0.5, 0.1, 0, 0.1, 0.3]); // n = 3, C = 3
    const r = diverseSample(scores, [1, 2], z, 4, 5);
    expect(r.points).toEqual([
      { index: 1, classIndex: 1, order: 1 },
      { index: 0, classIndex: 1, order: 2 },
      { index: 2, classIndex: 1, order: 3 },
      { index: 0, classIndex: 2, order: 1 },
      { index: 2, classIndex: 2, order: 2 },
      { index: 1, classIndex: 2, order: 3 },
    ]);
    const few = diverseSample(scores, [1], z, 4, 1, { backgroundK: 5 });
    expect(ofClass(few, 0)).toEqual([0, 2]);
    expect(diverseSample(new Float32Array(0), [1], new Float32Array(0), 4, 3)).toEqual({ points: [] });
  });

  it('rejects inconsistent input', () => {
    const z = rows(e1, e2);
    const scores = oneClass([1, 0]);
    expect(() => diverseSample(scores, [0], z, 4, 1)).toThrow(/background/);
    expect(() => diverseSample(scores, [1, 1], z, 4, 1)).toThrow(/twice/);
    expect(() => diverseSample(scores, [2], z, 4, 1)).toThrow(RangeError);
    expect(() => diverseSample(scores, [1], z, 3, 1)).toThrow(RangeError);
    expect(() => diverseSample(new Float32Array(5), [1], z, 4, 1)).toThrow(RangeError);
    expect(() => diverseSample(scores, [1], z, 4, -1)).toThrow(RangeError);
    expect(() => diverseSample(oneClass([NaN, 0]), [1], z, 4, 1)).toThrow(RangeError);
  });
});

describe('the strategies compared (Table 4.3)', () => {
  // 20 locations on a line, 10 px apart. 0..4: the top-scoring part of the object, all alike in features;
  // 10..14: another part, lower scores, other features; the rest: low-scoring background.
  const n = 20;
  const centroids = new Float32Array(Array.from({ length: n }, (_, i) => [i * 10 + 5, 5]).flat());
  const feats = Array.from({ length: n }, (_, i) => (i < 5 ? e1 : i >= 10 && i < 15 ? [0.1, 1, 0, 0] : i % 2 ? e3 : [0, 0, 1, 0.3]));
  const z = rows(...feats);
  const scores = oneClass(Array.from({ length: n }, (_, i) => (i < 5 ? 1 - i * 0.01 : i >= 10 && i < 15 ? 0.8 - (i - 10) * 0.01 : 0.05)));
  const request = { scores, classCount: 2, classes: [1], z, dim: 4, centroids, width: 200, height: 10 };

  it('top-k picks the clustered points', () => {
    const r = samplePoints('top-k', { ...request, k: 3, backgroundK: 2 });
    expect(ofClass(r, 1)).toEqual([0, 1, 2]);
    expect(ofClass(r, 0)).toEqual([5, 6]); // lowest scores, lowest indices
    expect(r).toEqual(topKSample(scores, [1], n, 3, { backgroundK: 2 }));
  });

  it('diverse picks one of the alike points, then the other part', () => {
    const r = samplePoints('diverse', { ...request, k: 2, backgroundK: 1 });
    expect(ofClass(r, 1)).toEqual([0, 10]);
    expect(ofClass(r, 0)).toEqual([5]); // e3 rows are orthogonal to both picks
    expect(r).toEqual(diverseSample(scores, [1], z, 4, 2, { backgroundK: 1 }));
  });

  it('spatial picks spread-out points, and background far from them', () => {
    const r = samplePoints('spatial', { ...request, k: 3, backgroundK: 1 });
    const picks = ofClass(r, 1);
    expect(picks[0]).toBe(0);
    for (let a = 0; a < picks.length; a++) for (let b = a + 1; b < picks.length; b++) expect(Math.abs(picks[a] - picks[b])).toBeGreaterThanOrEqual(3);
    expect(ofClass(r, 0)).toEqual([19]); // farthest from the foreground points
    expect(r).toEqual(spatialDiverseSample(scores, [1], centroids, 3, { width: 200, height: 10, backgroundK: 1 }));
    // A tiny σ makes every kernel value vanish: the greedy degenerates to top-k.
    expect(ofClass(samplePoints('spatial', { ...request, k: 3, sigma: 0.1, backgroundK: 0 }), 1)).toEqual([0, 1, 2]);
  });

  it('samplePoints says what a strategy is missing', () => {
    const bare = { scores, classCount: 2, classes: [1], k: 2 };
    expect(() => samplePoints('diverse', bare)).toThrow(TypeError);
    expect(() => samplePoints('spatial', { ...bare, centroids })).toThrow(TypeError);
    expect(() => samplePoints('diverse', { ...bare, z: z.subarray(4), dim: 4 })).toThrow(RangeError);
    expect(() => samplePoints('top-k', { ...bare, classCount: 3 })).toThrow(RangeError);
    expect(() => samplePoints('spatial', { ...request, k: 2, sigma: -1 })).toThrow(RangeError);
    // The request's options reach the strategy.
    const only = samplePoints('diverse', { ...request, k: 2, backgroundK: 0, allowed: (_c, i) => i >= 3 });
    expect(only.points.map((p) => p.index)).toEqual([3, 10]);
  });
});
