// The inputs of the per-superpixel depth regression (docs/depth.md; thesis §3.3.1 features, §5.5 task): the
// zoom-out features the segmentation engine computes, then the superpixel's position columns.
import { DEPTH_POSITION_FEATURES, positionFeatures } from '../core/superpixelPosition.ts';
import type { SuperpixelFeatures } from './segmentationEngine.ts';

/** One row per superpixel: the zoom-out features, then the position columns. */
export async function depthFeatureRows(photo: SuperpixelFeatures): Promise<{ rows: Float32Array; dims: number }> {
  const zoomout = (await photo.features.data()) as Float32Array;
  const width = photo.layout.width;
  const p = DEPTH_POSITION_FEATURES.length;
  const dims = width + p;
  const position = positionFeatures(photo.map);
  const rows = new Float32Array(photo.map.count * dims);
  for (let k = 0; k < photo.map.count; k++) {
    rows.set(zoomout.subarray(k * width, (k + 1) * width), k * dims);
    rows.set(position.subarray(k * p, (k + 1) * p), k * dims + width);
  }
  return { rows, dims };
}

/**
 * λ candidates of the ridge (standardized features, ~3000 superpixels), the position columns' share of λ (near
 * 0: the row is trusted), and candidate smoothings of the painted depth (fractions of the width).
 */
export const DEPTH_RIDGE = { lambdas: [1e4, 3e4, 1e5, 3e5], positionPenalty: 1e-4, smoothings: [0, 0.0125, 0.025, 0.05] } as const;

/** Per-column multiplier of λ: 1 for zoom-out features, `positionPenalty` for the position columns. */
export function depthPenalty(zoomoutWidth: number): Float64Array {
  const p = new Float64Array(zoomoutWidth + DEPTH_POSITION_FEATURES.length).fill(1);
  return p.fill(DEPTH_RIDGE.positionPenalty, zoomoutWidth);
}
