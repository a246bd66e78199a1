// Per-superpixel depth (docs/depth.md, after thesis §5.5.1): the regression target of a superpixel is the mean
// log depth of its measured pixels (log, because depth errors are relative and Table 5.5's δ is a ratio), and
// a prediction per superpixel is painted back to every pixel of it.
import { boxBlur } from './boxBlur.ts';
import type { DepthMap } from './depthMap.ts';
import { resizeBilinear } from './resizeBilinear.ts';
import type { SuperpixelMap } from './types.ts';

/** Mean log metres per superpixel; NaN where none of its pixels is measured. */
export function superpixelLogDepth(map: Pick<SuperpixelMap, 'width' | 'height' | 'labels' | 'count'>, depth: DepthMap): Float64Array {
  if (depth.width !== map.width || depth.height !== map.height) {
    throw new Error(`depth is ${depth.width}×${depth.height}, the superpixels ${map.width}×${map.height}`);
  }
  const sum = new Float64Array(map.count);
  const n = new Float64Array(map.count);
  for (let i = 0; i < map.labels.length; i++) {
    const m = depth.metres[i];
    if (!(m > 0)) continue;
    sum[map.labels[i]] += Math.log(m);
    n[map.labels[i]]++;
  }
  return sum.map((s, k) => (n[k] > 0 ? s / n[k] : NaN));
}

/**
 * A depth map in metres from one log depth per superpixel; `smoothing` > 0 box-averages the painted log depth
 * over a window of that fraction of the width on each side, so neighbouring superpixels blend at their borders.
 */
export function paintLogDepth(map: Pick<SuperpixelMap, 'width' | 'height' | 'labels'>, logDepth: ArrayLike<number>, smoothing = 0): DepthMap {
  // Plain loops, not TypedArray.from with a mapping function: that was most of the preview's refresh (issue 9).
  const { labels } = map;
  const painted = new Float64Array(labels.length);
  for (let p = 0; p < labels.length; p++) painted[p] = logDepth[labels[p]];
  const blurred = boxBlur(painted, map.width, map.height, Math.round(smoothing * map.width));
  const metres = new Float32Array(blurred.length);
  for (let p = 0; p < blurred.length; p++) metres[p] = Math.exp(blurred[p]);
  return { width: map.width, height: map.height, metres };
}

/**
 * paintLogDepth at the superpixels' size, resampled bilinearly to `width` × `height`: the studio paints on the
 * working copy and exports at the photo's original size. The painted depth is already smoothed, so resampling
 * adds no steps; at the same size this is paintLogDepth itself.
 */
export function paintLogDepthAtSize(map: Pick<SuperpixelMap, 'width' | 'height' | 'labels'>, logDepth: ArrayLike<number>, smoothing: number, width: number, height: number): DepthMap {
  const painted = paintLogDepth(map, logDepth, smoothing);
  if (width === map.width && height === map.height) return painted;
  return { width, height, metres: resizeBilinear(painted.metres, map.width, map.height, width, height) };
}
