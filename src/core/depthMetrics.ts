// Thesis §5.5.1, Table 5.5: the depth error measures (RMSE, RMSE(log), abs rel, sq rel, δ < 1.25^k) and
// median scaling, which removes the scale a single photo cannot determine before they are measured.
// Relative errors divide by the ground truth (Eigen et al.'s convention, which Table 5.5's figures follow).

export interface DepthMetrics {
  /** Metres. */
  rmse: number;
  rmseLog: number;
  absRel: number;
  /** Metres. */
  sqRel: number;
  delta1: number;
  delta2: number;
  delta3: number;
}

export const DEPTH_METRIC_NAMES: readonly (keyof DepthMetrics)[] = ['rmse', 'rmseLog', 'absRel', 'sqRel', 'delta1', 'delta2', 'delta3'];

/** The median of finite positive values (the mean of the middle two for an even count). */
export function positiveMedian(values: ArrayLike<number>): number {
  const kept = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > 0 && Number.isFinite(values[i])) kept[n++] = values[i];
  if (n === 0) throw new Error('no positive depth to take the median of');
  const sorted = kept.subarray(0, n).sort();
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** pred × median(gt) / median(pred), over the pixels where the ground truth is valid (> 0). */
export function medianScaled(pred: ArrayLike<number>, gt: ArrayLike<number>): Float64Array {
  const validPred = new Float64Array(gt.length);
  for (let i = 0; i < gt.length; i++) validPred[i] = gt[i] > 0 ? pred[i] : 0;
  const s = positiveMedian(gt) / positiveMedian(validPred);
  return Float64Array.from(pred, (p) => p * s);
}

/** Table 5.5's measures over the pixels with valid ground truth (> 0); both maps in metres. */
export function depthMetrics(pred: ArrayLike<number>, gt: ArrayLike<number>): DepthMetrics {
  if (pred.length !== gt.length) throw new Error(`prediction has ${pred.length} pixels, ground truth ${gt.length}`);
  let n = 0, se = 0, seLog = 0, absRel = 0, sqRel = 0, d1 = 0, d2 = 0, d3 = 0;
  for (let i = 0; i < gt.length; i++) {
    const y = gt[i];
    if (!(y > 0)) continue;
    const p = pred[i];
    if (!(p > 0)) throw new Error(`predicted depth ${p} at pixel ${i} is not positive`);
    const diff = p - y;
    const ratio = Math.max(p / y, y / p);
    n++;
    se += diff * diff;
    seLog += (Math.log(p) - Math.log(y)) ** 2;
    absRel += Math.abs(diff) / y;
    sqRel += (diff * diff) / y;
    if (ratio < 1.25) d1++;
    if (ratio < 1.25 ** 2) d2++;
    if (ratio < 1.25 ** 3) d3++;
  }
  if (n === 0) throw new Error('no valid ground-truth pixel');
  return { rmse: Math.sqrt(se / n), rmseLog: Math.sqrt(seLog / n), absRel: absRel / n, sqRel: sqRel / n, delta1: d1 / n, delta2: d2 / n, delta3: d3 / n };
}

/** The mean of each measure over photos (per photo first, as the common NYUv2 evaluation code does). */
export function meanDepthMetrics(perPhoto: readonly DepthMetrics[]): DepthMetrics {
  const out = {} as DepthMetrics;
  for (const k of DEPTH_METRIC_NAMES) out[k] = perPhoto.reduce((s, m) => s + m[k], 0) / perPhoto.length;
  return out;
}
