// Honest figures for the per-superpixel depth regression (docs/depth.md; thesis §5.5, Table 5.5) from a
// handful of RGB-D photos: nested leave-one-photo-out. Each photo is predicted by a ridge fitted on the
// others, with λ and the smoothing chosen by a leave-one-photo-out inside those others, so no photo's depth
// tunes its own prediction. Training sets are sums of per-photo statistics; a fit on all photos but {o, i}
// serves both the inner fold of o (scored on i) and that of i (scored on o).
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
  /** Candidate smoothings of the painted depth (fractions of the width, 0 = none; core/superpixelDepth.ts). */
  smoothings: readonly number[];
  /** Per-feature multiplier of λ. */
  penalty: ArrayLike<number>;
  onProgress?: (done: number, total: number) => void;
}

export interface DepthSetting {
  lambda: number;
  smoothing: number;
}

export interface DepthCvResult {
  /** Per photo: the setting its inner cross-validation chose and the median-scaled metrics of its prediction. */
  nested: (DepthSetting & { id: string; metrics: DepthMetrics })[];
  /** Plain leave-one-photo-out per setting (seen by every fold: for choosing the shipped setting, not for reporting). */
  perSetting: (DepthSetting & { metrics: DepthMetrics[] })[];
  /** The setting with the best plain leave-one-photo-out RMSE(log): the one to fit on every photo. */
  chosen: DepthSetting;
}

/** Table 5.5's measures of a per-superpixel log-depth prediction, median-scaled against the photo's depth. */
export function scoreLogDepth(photo: DepthPhoto, logDepth: ArrayLike<number>, smoothing = 0): DepthMetrics {
  const pred = paintLogDepth(photo.map, logDepth, smoothing);
  return depthMetrics(medianScaled(pred.metres, photo.depth.metres), photo.depth.metres);
}

/** The feature rows and mean log depths of a photo's superpixels that have measured depth. */
export function measuredRows(photo: DepthPhoto): { rows: Float32Array; targets: Float64Array } {
  const target = superpixelLogDepth(photo.map, photo.depth);
  const kept = [...target.keys()].filter((k) => !Number.isNaN(target[k]));
  const rows = new Float32Array(kept.length * photo.dims);
  kept.forEach((k, r) => rows.set(photo.rows.subarray(k * photo.dims, (k + 1) * photo.dims), r * photo.dims));
  return { rows, targets: Float64Array.from(kept, (k) => target[k]) };
}

/** The regression statistics of a photo's superpixels that have measured depth. */
export function photoStats(photo: DepthPhoto): RidgeStats {
  const { rows, targets } = measuredRows(photo);
  return ridgeStats(rows, targets, photo.dims);
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
  const settings = options.lambdas.flatMap((lambda) => options.smoothings.map((smoothing) => ({ lambda, smoothing })));
  const stats = photos.map(photoStats);
  const total = (n * (n - 1)) / 2 + n;
  let done = 0;
  const step = () => options.onProgress?.(++done, total);
  // Every setting of a ridge path scored on one photo, in the order of `settings`.
  const scoreAll = (path: Map<number, RidgeModel>, p: DepthPhoto) =>
    settings.map(({ lambda, smoothing }) => scoreLogDepth(p, predictRidge(path.get(lambda)!, p.rows, p.map.count), smoothing));
  // inner[o][i][s]: photo i scored with setting s by a model fitted without o and i.
  const inner = photos.map(() => photos.map(() => [] as DepthMetrics[]));
  for (let o = 0; o < n; o++) {
    for (let i = o + 1; i < n; i++) {
      const path = fitRidgePath(sumStats(stats.filter((_, k) => k !== o && k !== i)), options.lambdas, options.penalty);
      inner[o][i] = scoreAll(path, photos[i]);
      inner[i][o] = scoreAll(path, photos[o]);
      step();
    }
  }
  const perSetting = settings.map((s) => ({ ...s, metrics: [] as DepthMetrics[] }));
  const nested: DepthCvResult['nested'] = [];
  for (let o = 0; o < n; o++) {
    const innerScores = settings.map((_, s) => rmseLogOf(photos.flatMap((__, i) => (i === o ? [] : [inner[o][i][s]]))));
    const best = innerScores.indexOf(Math.min(...innerScores));
    const outer = scoreAll(fitRidgePath(sumStats(stats.filter((_, k) => k !== o)), options.lambdas, options.penalty), photos[o]);
    outer.forEach((m, s) => perSetting[s].metrics.push(m));
    nested.push({ id: photos[o].id, ...settings[best], metrics: outer[best] });
    step();
  }
  const chosen = perSetting.reduce((best, e) => (rmseLogOf(e.metrics) < rmseLogOf(best.metrics) ? e : best));
  return { nested, perSetting, chosen: { lambda: chosen.lambda, smoothing: chosen.smoothing } };
}
