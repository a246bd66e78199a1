// Diverse point sampling, thesis §4.3.2, eqs. 4.3.3–4.3.5 (with the two-stage feature normalization of §4.4.1 and the
// baselines of Table 4.3: top-k and spatial diversity). Turns per-location class scores S(i, c) into a sparse set of
// labelled points: per foreground class, high-scoring points that are unlike each other; for background, the points
// least like every foreground point and each other. Locations are generic (the product uses superpixels).
//
// Every strategy runs through the one greedy core `greedyPick`, which keeps, per location, the running maximum of its
// similarity to the points chosen so far: O(n) similarity evaluations (O(n·dim) for feature dot products) per chosen
// point, never the O(k²·n·dim) of recomputing eq. 4.3.4's inner max from scratch.
//
// Conventions:
// - Ties go to the lowest location index, everywhere.
// - A location is picked at most once per foreground class; different foreground classes may pick the same location
//   (each class is sampled on its own, as in the thesis). Background never picks a location any foreground class
//   picked, nor one twice.
// - The max over an empty set of |dot products| (or kernel values) is 0, since they are all ≥ 0. Hence eq. 4.3.3 is
//   eq. 4.3.4 with nothing chosen yet, and with no foreground class (F empty) the first background point is the lowest
//   allowed index (every location ties at 0); later ones are the most dissimilar to the background chosen so far.
// - Scores are used as given. A class whose scores are all zero ties everywhere and so picks the lowest allowed
//   indices in order. With negative scores the formula S·(1 − m) favours locations *similar* to earlier picks (the
//   penalty shrinks a negative product toward 0); shift or squash scores to be positive if that is not wanted.
// - When the allowed locations run out (n < k, or a tight `allowed`), a class gets fewer than k points.

/** Similarity of location i to a chosen location x: ≥ 0, larger means more alike. */
export type Similarity = (i: number, x: number) => number;

export interface SampleOptions {
  /** Class index that background points are labelled with (default 0); must not be one of `classes`. */
  background?: number;
  /** How many background points (default: k). */
  backgroundK?: number;
  /** Whether location i may be labelled with class c (also asked with the background index); default: all. */
  allowed?: (classIndex: number, index: number) => boolean;
}

export interface SpatialSampleOptions extends SampleOptions {
  /** Image size, for the default σ. */
  width: number;
  height: number;
  /** Spatial kernel width in the centroids' units (default SPATIAL_SIGMA_FRACTION × image diagonal). */
  sigma?: number;
}

export interface SampledPoint {
  /** Location index, 0..n-1. */
  index: number;
  /** The class it is labelled with (a foreground class, or the background index). */
  classIndex: number;
  /** 1..k: when it was chosen among its class's points. */
  order: number;
}

export interface SampleResult {
  /** Foreground points class by class in the order of `classes`, then background points; each class in order of choice. */
  points: SampledPoint[];
}

export type SamplingStrategy = 'diverse' | 'top-k' | 'spatial';

/**
 * One request for samplePoints: the scores, the classes, k and the options, plus everything any strategy may need
 * about the locations; each strategy reads what it needs ('diverse': z and dim; 'spatial': centroids, width, height
 * and optionally sigma; 'top-k': nothing more). n = scores.length / classCount.
 */
export interface SampleRequest extends SampleOptions {
  /** S(i, c), row-major [n × classCount]. */
  scores: Float32Array;
  classCount: number;
  /** The foreground classes present (F). */
  classes: number[];
  /** Points per foreground class. */
  k: number;
  /** Unit-norm features [n × dim] (see normalizeFeatureSet). */
  z?: Float32Array;
  dim?: number;
  /** Centroids [n × 2] (x, y). */
  centroids?: Float32Array;
  width?: number;
  height?: number;
  sigma?: number;
}

/** Default spatial kernel width as a fraction of the image diagonal ('spatial' baseline). */
export const SPATIAL_SIGMA_FRACTION = 0.1;

/**
 * The two-stage normalization of §4.4.1 over a whole set of photos: each dimension to zero mean and unit variance
 * (population variance) over all locations of all given photos — a constant dimension gets scale 0 — then each
 * location's vector to unit Euclidean norm (a zero vector stays zero). Features are row-major [n × dim]; returns one
 * array per set, same layout.
 */
export function normalizeFeatureSet(sets: { features: Float32Array; n: number }[], dim: number): Float32Array[] {
  checkCount(dim, 'dim');
  let total = 0;
  for (const { features, n } of sets) {
    checkCount(n, 'n');
    if (features.length !== n * dim) throw new RangeError(`features have ${features.length} values, expected n·dim = ${n * dim}`);
    checkFinite(features, 'features');
    total += n;
  }
  const mean = new Float64Array(dim);
  const min = new Float64Array(dim).fill(Infinity);
  const max = new Float64Array(dim).fill(-Infinity);
  for (const { features, n } of sets) {
    for (let i = 0; i < n; i++) {
      for (let d = 0, o = i * dim; d < dim; d++) {
        const v = features[o + d];
        mean[d] += v;
        if (v < min[d]) min[d] = v;
        if (v > max[d]) max[d] = v;
      }
    }
  }
  for (let d = 0; d < dim; d++) mean[d] = total > 0 ? mean[d] / total : 0;
  const variance = new Float64Array(dim);
  for (const { features, n } of sets) {
    for (let i = 0; i < n; i++) {
      for (let d = 0, o = i * dim; d < dim; d++) {
        const e = features[o + d] - mean[d];
        variance[d] += e * e;
      }
    }
  }
  const scale = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    // Exactly constant → 0: testing the variance instead would blow rounding noise of the mean up to unit size.
    scale[d] = min[d] === max[d] || variance[d] === 0 ? 0 : 1 / Math.sqrt(variance[d] / total);
  }
  const row = new Float64Array(dim);
  return sets.map(({ features, n }) => {
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const o = i * dim;
      let norm2 = 0;
      for (let d = 0; d < dim; d++) {
        const v = (features[o + d] - mean[d]) * scale[d];
        row[d] = v;
        norm2 += v * v;
      }
      const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
      for (let d = 0; d < dim; d++) out[o + d] = row[d] * inv;
    }
    return out;
  });
}

/** |zᵢ · zₓ| over rows of a row-major [n × dim] array (sums in float64, d = 0..dim-1). */
export function featureSimilarity(z: Float32Array, dim: number): Similarity {
  return (i, x) => {
    let s = 0;
    for (let d = 0, a = i * dim, b = x * dim; d < dim; d++) s += z[a + d] * z[b + d];
    return Math.abs(s);
  };
}

/** exp(−d² / 2σ²) between centroids [n × 2]. */
export function spatialSimilarity(centroids: Float32Array, sigma: number): Similarity {
  const inv = 1 / (2 * sigma * sigma);
  return (i, x) => {
    const dx = centroids[2 * i] - centroids[2 * x];
    const dy = centroids[2 * i + 1] - centroids[2 * x + 1];
    return Math.exp(-(dx * dx + dy * dy) * inv);
  };
}

/**
 * The background "max-dot-product map" (Fig. 4.3): per location, max over the chosen foreground points x of |zᵢ·zₓ|
 * (0 where none are chosen). Background sampling (eq. 4.3.5) starts from the minimum of this map.
 */
export function backgroundAffinity(z: Float32Array, dim: number, chosenForeground: number[]): Float32Array {
  const n = locationCount(z.length, dim, 'z');
  const running = new Float64Array(n);
  const similarity = featureSimilarity(z, dim);
  for (const x of chosenForeground) {
    if (!Number.isInteger(x) || x < 0 || x >= n) throw new RangeError(`chosen location ${x} is outside 0..${n - 1}`);
    raiseRunningMax(running, x, similarity);
  }
  return Float32Array.from(running);
}

/**
 * Diverse sampling (eqs. 4.3.3–4.3.5). `scores` is S(i, c) row-major [n × C]; `classes` the foreground classes present
 * (F); `z` unit-norm features [n × dim]. Per class c ∈ F: x₁ = argmaxᵢ S(i,c), then xₖ = argmaxᵢ S(i,c)·[1 − max_{k'<k}
 * |zᵢ·z_{x_k'}|]. Then background: xᵇᵍₖ = argminᵢ max{ max_{c∈F,k'} |zᵢ·z_{xᶜ_k'}|, max_{k''<k} |zᵢ·z_{xᵇᵍ_k''}| }.
 */
export function diverseSample(scores: Float32Array, classes: number[], z: Float32Array, dim: number, k: number, options: SampleOptions = {}): SampleResult {
  const n = locationCount(z.length, dim, 'z');
  checkFinite(z, 'z');
  return sampleWith(scores, n, classes, k, options, featureSimilarity(z, dim), null);
}

/**
 * Table 4.3's "top k" baseline: per class the k highest-scoring allowed locations (no diversity); background the
 * backgroundK allowed locations with the lowest max_{c∈F} S(i, c) (with F empty: the lowest indices).
 */
export function topKSample(scores: Float32Array, classes: number[], n: number, k: number, options: SampleOptions = {}): SampleResult {
  checkCount(n, 'n');
  return sampleWith(scores, n, classes, k, options, null, (C) => {
    const seed = new Float64Array(n);
    if (classes.length === 0) return seed;
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (const c of classes) m = Math.max(m, scores[i * C + c]);
      seed[i] = m;
    }
    return seed;
  });
}

/**
 * Table 4.3's "spatial" baseline: eq. 4.3.4's greedy with similarity exp(−d²/2σ²) between centroids [n × 2] instead
 * of feature dot products; background (eq. 4.3.5 with the same kernel) is thus the location farthest from every
 * foreground point and every earlier background point. σ defaults to SPATIAL_SIGMA_FRACTION × the image diagonal; with
 * a much smaller σ far-apart kernel values underflow to 0 and tie (then the lowest index wins).
 */
export function spatialDiverseSample(scores: Float32Array, classes: number[], centroids: Float32Array, k: number, options: SpatialSampleOptions): SampleResult {
  const n = locationCount(centroids.length, 2, 'centroids');
  checkFinite(centroids, 'centroids');
  const sigma = options.sigma ?? SPATIAL_SIGMA_FRACTION * Math.hypot(options.width, options.height);
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new RangeError(`spatial σ must be positive and finite, got ${sigma}`);
  return sampleWith(scores, n, classes, k, options, spatialSimilarity(centroids, sigma), null);
}

/** One entry for all three strategies (what Table 4.3 compares): the request carries what the strategy needs. */
export function samplePoints(strategy: SamplingStrategy, request: SampleRequest): SampleResult {
  const { scores, classCount, classes, k, z, dim, centroids, width, height, sigma, ...options } = request;
  checkCount(classCount, 'classCount');
  if (classCount === 0 ? scores.length !== 0 : scores.length % classCount !== 0) {
    throw new RangeError(`scores have ${scores.length} values, not a multiple of classCount = ${classCount}`);
  }
  const n = classCount === 0 ? 0 : scores.length / classCount;
  switch (strategy) {
    case 'diverse':
      if (!z || dim === undefined) throw new TypeError("the 'diverse' strategy needs features z and dim");
      if (z.length !== n * dim) throw new RangeError(`z has ${z.length} values, expected n·dim = ${n * dim}`);
      return diverseSample(scores, classes, z, dim, k, options);
    case 'top-k':
      return topKSample(scores, classes, n, k, options);
    case 'spatial':
      if (!centroids || width === undefined || height === undefined) {
        throw new TypeError("the 'spatial' strategy needs centroids, width and height");
      }
      if (centroids.length !== n * 2) throw new RangeError(`centroids have ${centroids.length} values, expected 2n = ${n * 2}`);
      return spatialDiverseSample(scores, classes, centroids, k, { ...options, width, height, sigma });
    default:
      throw new RangeError(`unknown sampling strategy ${String(strategy)}`);
  }
}

// ——— the shared machinery ———

/** running[i] ← max(running[i], similarity(i, x)) for every location. */
function raiseRunningMax(running: Float64Array, x: number, similarity: Similarity): void {
  for (let i = 0; i < running.length; i++) {
    const s = similarity(i, x);
    if (s > running[i]) running[i] = s;
  }
}

/**
 * The greedy core. Up to k times: among locations still open (eligible and not yet picked), pick the one maximizing
 * value(i, running[i]) (lowest index on ties), then raise `running` (in place) by its similarity to the pick. Returns
 * the picks in order; fewer than k when the open locations run out.
 */
function greedyPick(
  k: number,
  running: Float64Array,
  value: (i: number, runningMax: number) => number,
  similarity: Similarity | null,
  eligible: Uint8Array,
): number[] {
  const n = running.length;
  const open = eligible.slice();
  const picks: number[] = [];
  while (picks.length < k) {
    let best = -1;
    let bestValue = 0;
    for (let i = 0; i < n; i++) {
      if (open[i] === 0) continue;
      const v = value(i, running[i]);
      if (best < 0 || v > bestValue) {
        best = i;
        bestValue = v;
      }
    }
    if (best < 0) break;
    open[best] = 0;
    picks.push(best);
    if (similarity) raiseRunningMax(running, best, similarity);
  }
  return picks;
}

/**
 * Foreground per class by eq. 4.3.4's objective S(i,c)·(1 − running max similarity), then background by eq. 4.3.5's
 * argmin of the running max similarity, seeded with the max over all foreground points (or, when `backgroundSeed` is
 * given, with what it returns — the top-k baseline, which has no similarity).
 */
function sampleWith(
  scores: Float32Array,
  n: number,
  classes: number[],
  k: number,
  options: SampleOptions,
  similarity: Similarity | null,
  backgroundSeed: ((numClasses: number) => Float64Array) | null,
): SampleResult {
  const background = options.background ?? 0;
  const backgroundK = options.backgroundK ?? k;
  checkCount(k, 'k');
  checkCount(backgroundK, 'backgroundK');
  checkCount(background, 'background');
  const C = classCount(scores, n);
  const seen = new Set<number>();
  for (const c of classes) {
    // With no locations there are no scores to index, so only the shape of `classes` is checked.
    if (!Number.isInteger(c) || c < 0 || (n > 0 && c >= C)) throw new RangeError(`class ${c} is outside the scores' 0..${C - 1}`);
    if (seen.has(c)) throw new RangeError(`class ${c} is listed twice`);
    if (c === background) throw new RangeError(`class ${c} is both a foreground class and the background`);
    seen.add(c);
  }
  checkFinite(scores, 'scores');
  const allowed = options.allowed;
  const mask = (c: number): Uint8Array => {
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = !allowed || allowed(c, i) ? 1 : 0;
    return m;
  };

  const points: SampledPoint[] = [];
  const pickedForeground = new Uint8Array(n);
  const foregroundAffinity = new Float64Array(n);
  for (const c of classes) {
    const running = new Float64Array(n);
    const picks = greedyPick(k, running, (i, m) => scores[i * C + c] * (1 - m), similarity, mask(c));
    picks.forEach((index, j) => {
      points.push({ index, classIndex: c, order: j + 1 });
      pickedForeground[index] = 1;
    });
    for (let i = 0; i < n; i++) if (running[i] > foregroundAffinity[i]) foregroundAffinity[i] = running[i];
  }

  const eligible = mask(background);
  for (let i = 0; i < n; i++) if (pickedForeground[i]) eligible[i] = 0;
  const seed = backgroundSeed ? backgroundSeed(C) : foregroundAffinity;
  greedyPick(backgroundK, seed, (_i, m) => -m, similarity, eligible).forEach((index, j) => {
    points.push({ index, classIndex: background, order: j + 1 });
  });
  return { points };
}

function checkCount(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

function locationCount(length: number, width: number, name: string): number {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`${name}: row width must be a positive integer, got ${width}`);
  if (length % width !== 0) throw new RangeError(`${name} has ${length} values, not a multiple of ${width}`);
  return length / width;
}

function classCount(scores: Float32Array, n: number): number {
  if (n === 0) {
    if (scores.length !== 0) throw new RangeError(`scores have ${scores.length} values for 0 locations`);
    return 0;
  }
  if (scores.length % n !== 0) throw new RangeError(`scores have ${scores.length} values, not a multiple of n = ${n}`);
  return scores.length / n;
}

function checkFinite(a: Float32Array, name: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new RangeError(`${name}[${i}] is ${a[i]}; values must be finite`);
  }
}
