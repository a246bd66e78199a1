// Honest figures for the per-superpixel depth regression (docs/depth.md; thesis §5.5, Table 5.5) from a
// handful of RGB-D photos: nested leave-one-photo-out. Each photo is predicted by a ridge fitted on the
// others, with λ chosen by a leave-one-photo-out inside those others, so no photo's depth tunes its own
// prediction. Training sets are sums of per-photo statistics; a fit on all photos but {o, i} serves both
// the inner fold of o (scored on i) and that of i (scored on o).
import { depthMetrics, medianScaled, type DepthMetrics } from './depthMetrics.ts';
import type { DepthMap } from './depthMap.ts';
import { fitRidge, predictRidge, ridgeStats, sumStats, type RidgeModel, type RidgeStats } from './ridgeRegression.ts';
import { paintLogDepth, superpixelLogDepth } from './superpixelDepth.ts';
import type { SuperpixelMap } from './types.ts';

export interface DepthPhoto {
  id: string;
  /** count × dims feature rows, one per superpixel. */
  rows: Float32Array;
  dims: number;
  map: Pick<SuperpixelMap, 'width' | 'height' | 'labels' | 'count'>;
  depth: DepthMap;
}

export interface DepthCvOptions {
  lambdas: readonly number[];
  /** Per-feature multiplier of λ. */
  penalty: ArrayLike<number>;
  onProgress?: (done: number, total: number) => void;
}

export interface DepthCvResult {
  /** Per photo: the λ its inner cross-validation chose and the median-scaled metrics of its prediction. */
  nested: { id: string; lambda: number; metrics: DepthMetrics }[];
  /** Plain leave-one-photo-out at each λ (λ seen by every fold: for choosing the shipped λ, not for reporting). */
  perLambda: { lambda: number; metrics: DepthMetrics[] }[];
  /** The λ with the best plain leave-one-photo-out RMSE(log): the one to fit on every photo. */
  chosenLambda: number;
}

/** Table 5.5's measures of a per-superpixel log-depth prediction, median-scaled against the photo's depth. */
export function scoreLogDepth(photo: DepthPhoto, logDepth: ArrayLike<number>): DepthMetrics {
  const pred = paintLogDepth(photo.map, logDepth);
  return depthMetrics(medianScaled(pred.metres, photo.depth.metres), photo.depth.metres);
}

/** The regression statistics of a photo's superpixels that have measured depth. */
export function photoStats(photo: DepthPhoto): RidgeStats {
  const target = superpixelLogDepth(photo.map, photo.depth);
  const kept = [...target.keys()].filter((k) => !Number.isNaN(target[k]));
  const rows = new Float32Array(kept.length * photo.dims);
  kept.forEach((k, r) => rows.set(photo.rows.subarray(k * photo.dims, (k + 1) * photo.dims), r * photo.dims));
  return ridgeStats(rows, kept.map((k) => target[k]), photo.dims);
}

/** One model per λ on the same statistics, largest λ first, each warm-starting the next. */
export function fitRidgePath(stats: RidgeStats, lambdas: readonly number[], penalty: ArrayLike<number>): Map<number, RidgeModel> {
  const out = new Map<number, RidgeModel>();
  let start: Float64Array | undefined;
  for (const lambda of [...lambdas].sort((a, b) => b - a)) {
    const model = fitRidge(stats, { lambda, penalty, start });
    out.set(lambda, model);
    start = model.weights;
  }
  return out;
}

const rmseLogOf = (ms: readonly DepthMetrics[]) => ms.reduce((s, m) => s + m.rmseLog, 0) / ms.length;

export function nestedLeaveOnePhotoOut(photos: readonly DepthPhoto[], options: DepthCvOptions): DepthCvResult {
  const n = photos.length;
  if (n < 3) throw new Error('nested leave-one-photo-out needs at least 3 photos');
  const stats = photos.map(photoStats);
  const total = (n * (n - 1)) / 2 + n;
  let done = 0;
  const step = () => options.onProgress?.(++done, total);
  const predict = (model: RidgeModel, p: DepthPhoto) => predictRidge(model, p.rows, p.map.count);
  // inner[o][i][λ]: photo i scored by a model fitted without o and i.
  const inner = photos.map(() => photos.map(() => new Map<number, DepthMetrics>()));
  for (let o = 0; o < n; o++) {
    for (let i = o + 1; i < n; i++) {
      const path = fitRidgePath(sumStats(stats.filter((_, k) => k !== o && k !== i)), options.lambdas, options.penalty);
      for (const [lambda, model] of path) {
        inner[o][i].set(lambda, scoreLogDepth(photos[i], predict(model, photos[i])));
        inner[i][o].set(lambda, scoreLogDepth(photos[o], predict(model, photos[o])));
      }
      step();
    }
  }
  const perLambda = options.lambdas.map((lambda) => ({ lambda, metrics: [] as DepthMetrics[] }));
  const nested: DepthCvResult['nested'] = [];
  for (let o = 0; o < n; o++) {
    const innerScore = (lambda: number) => rmseLogOf(photos.flatMap((_, i) => (i === o ? [] : [inner[o][i].get(lambda)!])));
    const lambda = options.lambdas.reduce((best, l) => (innerScore(l) < innerScore(best) ? l : best));
    const path = fitRidgePath(sumStats(stats.filter((_, k) => k !== o)), options.lambdas, options.penalty);
    for (const entry of perLambda) entry.metrics.push(scoreLogDepth(photos[o], predict(path.get(entry.lambda)!, photos[o])));
    nested.push({ id: photos[o].id, lambda, metrics: perLambda[options.lambdas.indexOf(lambda)].metrics[o] });
    step();
  }
  const chosenLambda = perLambda.reduce((best, e) => (rmseLogOf(e.metrics) < rmseLogOf(best.metrics) ? e : best)).lambda;
  return { nested, perLambda, chosenLambda };
}
