// Requests about segmentation (thesis ch. 3 in the studio): train the head on the user's strokes across the
// open photos, then label every superpixel of every photo that has superpixels.
import type { LevelId } from '../ml/backboneManifest.ts';

export type { HeadKind } from './headKind.ts';
import type { HeadKind } from './headKind.ts';

export interface TrainingPhoto {
  photoId: string;
  /** Class per working-copy pixel, 255 where nothing is painted (core/strokes.ts). */
  scribbles: Uint8Array;
}

export interface SegmentRequest {
  training: TrainingPhoto[];
  /** Photos to label (those with superpixels in the worker). */
  targets: string[];
  classes: number;
  levels: LevelId[];
  head: HeadKind;
}

export interface PhotoSegmentation {
  photoId: string;
  width: number;
  height: number;
  /** Class per working-copy pixel. */
  classes: Uint8Array;
  /** Probability of the chosen class per pixel, 0..255 (the uncertainty view shows 255 − this). */
  confidence: Uint8Array;
  /** Superpixels labelled by strokes, and all superpixels. */
  labelled: number;
  superpixels: number;
}

export interface SegmentResult {
  photos: PhotoSegmentation[];
  /** Loss per epoch of this training. */
  losses: number[];
  timings: { featuresMs: number; trainMs: number; predictMs: number };
}

export interface SegmentationRequests {
  segment: { req: SegmentRequest; res: SegmentResult };
}
