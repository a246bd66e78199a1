// Segmentations arrive per superpixel (for the superpixel map the worker named); the viewer and exports need
// them per pixel. Painted once per (segmentation, superpixels) pair and remembered.
import { paintSuperpixels } from '../core/scribbles.ts';
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

const painted = new WeakMap<PhotoSegmentation, { map: SuperpixelResult; pixels: PixelSegmentation }>();

/** The photo's segmentation per pixel, or undefined when there is none for its current superpixels. */
export function segmentationPixels(s: Pick<StudioState, 'segmentations' | 'superpixels'>, photoId: string): PixelSegmentation | undefined {
  const seg = s.segmentations[photoId];
  const map = s.superpixels[photoId];
  if (!seg || !map || seg.mapId !== map.mapId) return undefined;
  const known = painted.get(seg);
  if (known?.map === map) return known.pixels;
  const pixels = { width: map.width, height: map.height, classes: paintSuperpixels(map, seg.classes), confidence: paintSuperpixels(map, seg.confidence) };
  painted.set(seg, { map, pixels });
  return pixels;
}
