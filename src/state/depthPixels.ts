// The active photo's predicted depth (thesis §5.5; docs/depth.md) painted to pixels once per depth result, for
// the Depth panel's preview, its 3D view and the exports, so none of them paints it again.
import type { DepthMap } from '../core/depthMap.ts';
import { paintLogDepth } from '../core/superpixelDepth.ts';
import type { DepthState } from './depthSlice.ts';
import type { StudioState } from './studioStore.ts';

/** The depth of the active photo for its current superpixels, if the worker has delivered it. */
export function activeDepth(s: StudioState): DepthState | undefined {
  const id = s.activePhotoId;
  return s.depth && s.depth.photoId === id && s.depth.superpixels === s.superpixels[id ?? ''] ? s.depth : undefined;
}

const painted = new WeakMap<DepthState, DepthMap>();

/** Metres per pixel of the working copy, smoothed as the model says. */
export function depthPixels(depth: DepthState): DepthMap {
  let map = painted.get(depth);
  if (!map) {
    map = paintLogDepth(depth.superpixels, depth.result.logDepth, depth.result.smoothing);
    painted.set(depth, map);
  }
  return map;
}
