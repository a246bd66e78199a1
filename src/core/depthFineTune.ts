// The depth regression fine-tuned on a user's own RGB-D photos (docs/depth.md, "Your own RGB-D pairs"; thesis
// §5.5's per-superpixel depth, issue 9): the measured superpixels of every photo, pooled, pull the trained
// ridge toward them (core/ridgeFineTune.ts), so a handful of photos from the user's camera and rooms adjust
// the model rather than replace it.
import { measuredRows, type DepthPhoto } from './depthCrossValidation.ts';
import { fineTuneRidge, type FineTuneOptions } from './ridgeFineTune.ts';
import type { RidgeModel } from './ridgeRegression.ts';

/** `base` fine-tuned on the measured superpixels of `photos`. */
export function fineTuneDepth(base: RidgeModel, photos: readonly DepthPhoto[], options: FineTuneOptions): RidgeModel {
  const parts = photos.map(measuredRows);
  const dims = base.mean.length;
  for (const p of photos) if (p.dims !== dims) throw new Error(`${p.id} has ${p.dims} feature columns, the depth model ${dims}`);
  const n = parts.reduce((s, p) => s + p.targets.length, 0);
  if (n === 0) throw new Error('none of the photos has a superpixel with measured depth');
  const rows = new Float32Array(n * dims);
  const targets = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    rows.set(p.rows, at * dims);
    targets.set(p.targets, at);
    at += p.targets.length;
  }
  return fineTuneRidge(base, rows, targets, options);
}
