// Fine-tuning a trained ridge regression on a user's own rows (docs/depth.md, "Your own RGB-D pairs"; the
// per-superpixel depth regression of thesis §5.5): the trained weights are the prior the new rows pull away
// from, min Σ (z·w + b − y)² + λ Σ p_j (w_j − w0_j)², so a few photos adjust the model instead of replacing
// it. The standardization stays the trained one (w0 is only meaningful in its units); the intercept is free,
// so the user's camera sets the absolute scale. Rows are few (hundreds per photo) and columns thousands, so
// the normal equations are never formed: conjugate gradients need only products with the centred rows.
import { conjugateGradient, type RidgeModel } from './ridgeRegression.ts';

export interface FineTuneOptions {
  lambda: number;
  /** Per-feature multiplier of λ (default 1). */
  penalty?: ArrayLike<number>;
  tolerance?: number;
  maxIterations?: number;
}

/** `base` refitted to `rows` rows of features (row-major, the base's columns) with targets `y`, shrunk toward `base`. */
export function fineTuneRidge(base: RidgeModel, x: ArrayLike<number>, y: ArrayLike<number>, options: FineTuneOptions): RidgeModel {
  const d = base.mean.length;
  const n = y.length;
  if (n === 0) throw new Error('no rows to fine-tune on');
  if (x.length !== n * d) throw new Error(`${x.length} feature values for ${n} rows of ${d}`);
  // Standardized as the base model reads them, then centred on these rows (the intercept absorbs the means).
  const z = new Float64Array(n * d);
  const zMean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const v = base.scale[j] === 0 ? 0 : (x[r * d + j] - base.mean[j]) / base.scale[j];
      z[r * d + j] = v;
      zMean[j] += v / n;
    }
  }
  let yMean = 0;
  for (let r = 0; r < n; r++) yMean += y[r] / n;
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) z[r * d + j] -= zMean[j];
  const shrink = Float64Array.from({ length: d }, (_, j) => (base.scale[j] === 0 ? 1 : options.lambda * (options.penalty?.[j] ?? 1)));

  const t = new Float64Array(n);
  const times = (v: Float64Array, out: Float64Array) => {
    for (let r = 0; r < n; r++) {
      let acc = 0;
      const row = r * d;
      for (let j = 0; j < d; j++) acc += z[row + j] * v[j];
      t[r] = acc;
    }
    for (let j = 0; j < d; j++) out[j] = shrink[j] * v[j];
    for (let r = 0; r < n; r++) {
      const tr = t[r];
      const row = r * d;
      for (let j = 0; j < d; j++) out[j] += z[row + j] * tr;
    }
  };
  const b = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const yr = y[r] - yMean;
    for (let j = 0; j < d; j++) b[j] += z[r * d + j] * yr;
  }
  for (let j = 0; j < d; j++) if (base.scale[j] !== 0) b[j] += shrink[j] * base.weights[j];
  const weights = conjugateGradient(times, b, Float64Array.from(base.weights, (w, j) => (base.scale[j] === 0 ? 0 : w)), options.tolerance ?? 1e-8, options.maxIterations ?? 4 * d);
  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= zMean[j] * weights[j];
  return { mean: base.mean, scale: base.scale, weights, intercept };
}
