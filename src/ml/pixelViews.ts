// Thesis §3.5.1: pixel mode's optional multi-scale and flip inference. A photo is seen at several input sizes,
// each also mirrored left-right when asked; a head's class probabilities from every view are brought back to the
// photo's own frame and averaged (pixelHead.ts: labelPixels).
import type { RgbaImage } from '../core/types.ts';
import type { Backbone } from './backbone.ts';
import { disposePixelSources, photoPixelSources, type PixelSources } from './pixelFeatures.ts';

/** One view of a photo: its maps, and whether they are of the mirrored photo. */
export interface PixelView {
  sources: PixelSources;
  mirrored: boolean;
}

export interface PixelViewOptions {
  /** The input's long side at scale 1 (the superpixel engine's, 512). */
  longSide?: number;
  detections?: boolean;
  /** Each view also mirrored. */
  flip?: boolean;
  /** Multiples of `longSide`, one backbone pass each (two with flip). */
  scales?: readonly number[];
}

/** Long side of the input at `scale`: the backbone rounds sides to its multiple anyway. */
export function scaledLongSide(longSide: number, scale: number): number {
  if (!(scale > 0)) throw new RangeError(`scale must be positive, got ${scale}`);
  return Math.max(1, Math.round(longSide * scale));
}

/** The passes the options ask for, in order of scale, upright before mirrored. */
export function pixelViewPasses(options: PixelViewOptions = {}): { longSide: number; mirrored: boolean }[] {
  const { longSide = 512, flip = false, scales = [1] } = options;
  return scales.flatMap((scale) => (flip ? [false, true] : [false]).map((mirrored) => ({ longSide: scaledLongSide(longSide, scale), mirrored })));
}

/**
 * Every view of `image` the options ask for (pixelViewPasses), one backbone pass each; `skip` leaves out a pass
 * the caller already has (the upright pass at scale 1 a head was trained on).
 */
export async function photoPixelViews(backbone: Backbone, image: RgbaImage, options: PixelViewOptions = {}, skip?: { longSide: number; mirrored: boolean }): Promise<PixelView[]> {
  const views: PixelView[] = [];
  try {
    for (const { longSide, mirrored } of pixelViewPasses(options)) {
      if (skip && skip.longSide === longSide && skip.mirrored === mirrored) continue;
      views.push({ sources: await photoPixelSources(backbone, image, { longSide, detections: options.detections, mirrored }), mirrored });
    }
    return views;
  } catch (err) {
    disposePixelViews(views);
    throw err;
  }
}

export function disposePixelViews(views: readonly PixelView[]): void {
  for (const v of views) disposePixelSources(v.sources);
}
