// Requests about segmentation (thesis ch. 3 in the studio): train the head on the user's strokes across the
// open photos, then label every superpixel of every target photo. Strokes cross as vectors and are
// rasterized here, once; labels come back per superpixel, for the map the UI was given (mapId).
import type { Stroke } from '../core/strokes.ts';
import type { LevelId } from '../ml/backboneManifest.ts';

export type { HeadKind } from './headKind.ts';
import type { HeadKind } from './headKind.ts';

export interface PhotoStrokes {
  photoId: string;
  /** In working-copy pixels, in drawing order (core/strokes.ts). */
  strokes: Stroke[];
}

export interface SegmentRequest {
  training: PhotoStrokes[];
  /** Photos to label. */
  targets: string[];
  classes: number;
  levels: LevelId[];
  head: HeadKind;
}

export interface PhotoSegmentation {
  photoId: string;
  /** The superpixel map (SuperpixelResult.mapId) these labels are for. */
  mapId: number;
  /** Class per superpixel. */
  classes: Uint8Array;
  /** Probability of the chosen class per superpixel, 0..255 (the uncertainty view shows 255 − this). */
  confidence: Uint8Array;
  /** Superpixels labelled by strokes, and all superpixels. */
  labelled: number;
  superpixels: number;
}

export interface SegmentResult {
  photos: PhotoSegmentation[];
  /** Target photos the worker no longer holds (evicted): analyse them again to label them. */
  notResident: string[];
  /** Loss per epoch of this training. */
  losses: number[];
  timings: { featuresMs: number; trainMs: number; predictMs: number };
}

export interface SegmentationRequests {
  segment: { req: SegmentRequest; res: SegmentResult };
}
