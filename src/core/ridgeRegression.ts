// Ridge regression in closed form from per-group sufficient statistics, so a leave-one-photo-out fold adds up
// the statistics of its training photos instead of revisiting their rows (the per-superpixel depth regression
// of docs/depth.md, after thesis §5.5.1). Features are standardized on the training rows; the normal
// equations (C + λ·diag(penalty)) w = c are solved by conjugate gradients, which needs only products with
// the Gram matrix and converges in few steps at the λ that cross-validation picks.

/** Σx, Σxxᵀ, Σxy, Σy over some rows: add two groups' statistics to get those of their union. */
export interface RidgeStats {
  dims: number;
  rows: number;
  sumX: Float64Array;
  /** dims × dims, row-major. */
  gram: Float64Array;
  xy: Float64Array;
  sumY: number;
}

export interface RidgeModel {
  mean: Float64Array;
  scale: Float64Array;
  /** Weights of the standardized features. */
  weights: Float64Array;
  intercept: number;
}

/** Statistics of `rows` rows of `dims` features (row-major) and their targets. */
export function ridgeStats(x: ArrayLike<number>, y: ArrayLike<number>, dims: number): RidgeStats {
  const rows = y.length;
  if (x.length !== rows * dims) throw new Error(`${x.length} feature values for ${rows} rows of ${dims}`);
  const s = emptyStats(dims);
  s.rows = rows;
  const row = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dims; j++) row[j] = x[r * dims + j];
    const t = y[r];
    s.sumY += t;
    for (let j = 0; j < dims; j++) {
      const v = row[j];
      s.sumX[j] += v;
      s.xy[j] += v * t;
      const g = j * dims;
      for (let k = j; k < dims; k++) s.gram[g + k] += v * row[k];
    }
  }
  for (let j = 0; j < dims; j++) for (let k = j + 1; k < dims; k++) s.gram[k * dims + j] = s.gram[j * dims + k];
  return s;
}

function emptyStats(dims: number): RidgeStats {
  return { dims, rows: 0, sumX: new Float64Array(dims), gram: new Float64Array(dims * dims), xy: new Float64Array(dims), sumY: 0 };
}

export function sumStats(groups: readonly RidgeStats[]): RidgeStats {
  const s = emptyStats(groups[0].dims);
  for (const g of groups) {
    s.rows += g.rows;
    s.sumY += g.sumY;
    for (let j = 0; j < s.dims; j++) {
      s.sumX[j] += g.sumX[j];
      s.xy[j] += g.xy[j];
    }
    for (let i = 0; i < s.gram.length; i++) s.gram[i] += g.gram[i];
  }
  return s;
}

export interface RidgeOptions {
  lambda: number;
  /** Per-feature multiplier of λ (default 1): near 0 leaves a feature almost unpenalized. */
  penalty?: ArrayLike<number>;
  /** Conjugate-gradient start (standardized weights), e.g. the solution at a neighbouring λ. */
  start?: Float64Array;
  tolerance?: number;
  maxIterations?: number;
}

/** The standardized ridge solution; features constant over the rows get weight 0. */
export function fitRidge(s: RidgeStats, options: RidgeOptions): RidgeModel {
  const { dims: d, rows: n } = s;
  const mean = Float64Array.from(s.sumX, (v) => v / n);
  const yMean = s.sumY / n;
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const variance = s.gram[j * d + j] / n - mean[j] * mean[j];
    scale[j] = variance > 1e-12 * Math.max(1, mean[j] * mean[j]) ? Math.sqrt(variance) : 0;
  }
  // Standardized, centred Gram C and right-hand side c; constant features drop out (zero rows and columns).
  const c = new Float64Array(d);
  const gram = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    if (scale[j] === 0) continue;
    c[j] = (s.xy[j] - n * mean[j] * yMean) / scale[j];
    for (let k = 0; k < d; k++) {
      if (scale[k] !== 0) gram[j * d + k] = (s.gram[j * d + k] - n * mean[j] * mean[k]) / (scale[j] * scale[k]);
    }
  }
  const diag = Float64Array.from({ length: d }, (_, j) => (scale[j] === 0 ? 1 : options.lambda * (options.penalty?.[j] ?? 1)));
  const times = (v: Float64Array, out: Float64Array) => {
    for (let j = 0; j < d; j++) {
      let acc = diag[j] * v[j];
      const row = j * d;
      for (let k = 0; k < d; k++) acc += gram[row + k] * v[k];
      out[j] = acc;
    }
  };
  const weights = conjugateGradient(times, c, options.start, options.tolerance ?? 1e-8, options.maxIterations ?? 4 * d);
  return { mean, scale, weights, intercept: yMean };
}

/** Solves M w = b for a symmetric positive definite M given as `times(v, out)`: out = M v. */
export function conjugateGradient(
  times: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  start: Float64Array | undefined,
  tolerance: number,
  maxIterations: number,
): Float64Array {
  const d = b.length;
  const w = start ? Float64Array.from(start) : new Float64Array(d);
  const r = new Float64Array(d);
  const q = new Float64Array(d);
  times(w, q);
  for (let j = 0; j < d; j++) r[j] = b[j] - q[j];
  const p = Float64Array.from(r);
  const bNorm = Math.sqrt(b.reduce((s, v) => s + v * v, 0)) || 1;
  let rr = r.reduce((s, v) => s + v * v, 0);
  for (let it = 0; it < maxIterations && Math.sqrt(rr) > tolerance * bNorm; it++) {
    times(p, q);
    let pq = 0;
    for (let j = 0; j < d; j++) pq += p[j] * q[j];
    const alpha = rr / pq;
    let next = 0;
    for (let j = 0; j < d; j++) {
      w[j] += alpha * p[j];
      r[j] -= alpha * q[j];
      next += r[j] * r[j];
    }
    const beta = next / rr;
    rr = next;
    for (let j = 0; j < d; j++) p[j] = r[j] + beta * p[j];
  }
  return w;
}

/** Predictions for `rows` rows of features (row-major). */
export function predictRidge(model: RidgeModel, x: ArrayLike<number>, rows: number): Float64Array {
  const d = model.mean.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let acc = model.intercept;
    for (let j = 0; j < d; j++) if (model.scale[j] !== 0) acc += (model.weights[j] * (x[r * d + j] - model.mean[j])) / model.scale[j];
    out[r] = acc;
  }
  return out;
}
