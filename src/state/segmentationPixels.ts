// Segmentations arrive per superpixel (for the superpixel map the worker named); the viewer and exports need
// them per pixel (pixel mode's arrive per pixel already). Painted once per (segmentation, superpixels, refinement) and remembered; with edge refinement
// on, the classes are the dense CRF's per pixel (crfSlice.ts), the confidence stays the superpixels'.
import { paintSuperpixels } from '../core/scribbles.ts';
import { currentRefinement, type Refinement } from './crfSlice.ts';
import type { PhotoSegmentation } from '../worker/segmentationProtocol.ts';
import type { SuperpixelResult } from '../worker/superpixelProtocol.ts';
import type { StudioState } from './studioStore.ts';

export interface PixelSegmentation {
  width: number;
  height: number;
  /** Class per working-copy pixel. */
  classes: Uint8Array;
  /** Probability of the chosen class per pixel, 0..255. */
  confidence: Uint8Array;
}

const painted = new WeakMap<PhotoSegmentation, { map: SuperpixelResult; refinement?: Refinement; pixels: PixelSegmentation }>();

/** The photo's segmentation per pixel, or undefined when there is none for its current superpixels. */
export function segmentationPixels(s: Pick<StudioState, 'segmentations' | 'superpixels' | 'crf' | 'refinements'>, photoId: string): PixelSegmentation | undefined {
  const seg = s.segmentations[photoId];
  const map = s.superpixels[photoId];
  if (!seg || !map || seg.mapId !== map.mapId) return undefined;
  const known = painted.get(seg);
  // Pixel mode labels every pixel itself; edge refinement is for superpixel labels. The same object comes back
  // for the same labels: the viewer subscribes to it.
  if (seg.pixels) {
    if (known?.map === map) return known.pixels;
    const pixels = { width: map.width, height: map.height, ...seg.pixels };
    painted.set(seg, { map, pixels });
    return pixels;
  }
  const refined = currentRefinement(s, photoId);
  const refinement = refined?.pixels.length === map.width * map.height ? refined : undefined;
  if (known?.map === map && known.refinement === refinement) return known.pixels;
  const confidence = known?.map === map ? known.pixels.confidence : paintSuperpixels(map, seg.confidence);
  const pixels = { width: map.width, height: map.height, classes: refinement?.pixels ?? paintSuperpixels(map, seg.classes), confidence };
  painted.set(seg, { map, refinement, pixels });
  return pixels;
}
