// The active photo's predicted depth (thesis §5.5; docs/depth.md) painted to pixels once per depth result, for
// the Depth panel's preview, its 3D view and the exports, so none of them paints it again.
import type { DepthMap } from '../core/depthMap.ts';
import { paintLogDepth } from '../core/superpixelDepth.ts';
import type { DepthState } from './depthSlice.ts';
import { segmentationPixels } from './segmentationPixels.ts';
import type { StudioState } from './studioStore.ts';

/** The depth of the active photo for what it now shows (its superpixels, or its segmentation), if delivered. */
export function activeDepth(s: StudioState): DepthState | undefined {
  const id = s.activePhotoId;
  const d = s.depth;
  if (!d || d.photoId !== id || d.source !== s.depthSource) return undefined;
  const current = d.source === 'image' ? d.superpixels === s.superpixels[id] : d.segmentation === segmentationPixels(s, id);
  return current ? d : undefined;
}

const painted = new WeakMap<DepthState, DepthMap>();

/** Metres per pixel of the working copy (the image source's superpixel values painted and smoothed as the model says). */
export function depthPixels(depth: DepthState): DepthMap {
  if (depth.source === 'segmentation') return depth.map;
  let map = painted.get(depth);
  if (!map) {
    map = paintLogDepth(depth.superpixels, depth.result.logDepth, depth.result.smoothing);
    painted.set(depth, map);
  }
  return map;
}

/** The worker's time for the depth shown. */
export const depthMs = (depth: DepthState): number => (depth.source === 'image' ? depth.result.ms : depth.ms);
