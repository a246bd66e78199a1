// Requests about segmentation (thesis ch. 3 in the studio): train the head on the user's strokes across the
// open photos, then label every superpixel of every target photo. Strokes cross as vectors and are
// rasterized here, once; labels come back per superpixel, for the map the UI was given (mapId).
import type { SamplingStrategy } from '../core/diverseSampling.ts';
import type { Stroke } from '../core/strokes.ts';
import type { LevelId } from '../ml/backboneManifest.ts';
import type { SampledPoint } from '../ml/sampledPoints.ts';
import type { FinetunedBackboneFile, HeadMode, SavedHead } from '../ml/headIO.ts';

export type { HeadKind } from './headKind.ts';
import type { HeadKind } from './headKind.ts';

export interface PhotoStrokes {
  photoId: string;
  /** In working-copy pixels, in drawing order (core/strokes.ts). */
  strokes: Stroke[];
}

/** Machine suggestions (thesis ch. 4): points sampled from the detector's localization maps, a soft source. */
export interface SuggestionSettings {
  strategy: SamplingStrategy;
  /** Points per class present (and for background). */
  k: number;
  /** Class names of the label set, matched to the detector's classes by name. */
  classNames: string[];
  /** Photos whose suggestions the user cleared. */
  off: string[];
  /** Classes learnt from tags (tagClassNets.ts): their maps come from their nets; `version` names the net's training. */
  tagClasses?: { name: string; version: string; lacks: string[] }[];
}

/** A photo's ground truth (class per working-copy pixel, 255 ignored), a label source for supervised training. */
export interface PhotoMask {
  photoId: string;
  classes: Uint8Array;
  /** Which of the photo's masks this is (a new mask, a new version). */
  version: number;
}

/** A ground-truth mask the worker was handed once (`ground-truth`), named by photo and version. */
export type MaskRef = Omit<PhotoMask, 'classes'>;

export interface SegmentRequest {
  training: PhotoStrokes[];
  /** Ground-truth masks to train on (thesis ch. 3 fully supervised: one head for the set); absent: none. */
  masks?: MaskRef[];
  /** Absent: learn from strokes only. */
  suggestions?: SuggestionSettings;
  /** Photos to label. */
  targets: string[];
  classes: number;
  levels: LevelId[];
  head: HeadKind;
  /** Superpixel rows (thesis §3.3, the default) or the stride-4 grid's hypercolumns (§3.5). */
  mode?: HeadMode;
}

export interface PhotoSegmentation {
  photoId: string;
  /** The superpixel map (SuperpixelResult.mapId) these labels are for. */
  mapId: number;
  /** The worker's segmentation run that made these labels (what `refine` asks to refine). */
  run: number;
  /** Class per superpixel. */
  classes: Uint8Array;
  /** Probability of the chosen class per superpixel, 0..255 (the uncertainty view shows 255 − this). */
  confidence: Uint8Array;
  /** Superpixels labelled by strokes, and all superpixels. */
  labelled: number;
  superpixels: number;
  /** The points suggested for this photo (empty when suggestions are off for it). */
  points: SampledPoint[];
  /** Pixel mode: class and confidence (0..255) per working-copy pixel; `classes` is then their majority per superpixel. */
  pixels?: { classes: Uint8Array; confidence: Uint8Array };
}

export interface SegmentResult {
  photos: PhotoSegmentation[];
  /** Target photos the worker no longer holds (evicted): analyse them again to label them. */
  notResident: string[];
  /** Labelled photos whose labels did not train this head (neither the photo nor rows of it are held): analyse them again. */
  unlearned: string[];
  /** Pixel mode: labelled photos the worker does not hold, left out of this head (it trains on held photos only). */
  notTrained?: string[];
  /** Loss per epoch of this training. */
  losses: number[];
  timings: { featuresMs: number; trainMs: number; predictMs: number };
}

export interface LocalizationRequest {
  photoId: string;
  suggestions: Omit<SuggestionSettings, 'off'>;
  /** A class index, or 'background' for the max-dot-product map of eq. 4.3.5 (thesis Fig. 4.3). */
  map: number | 'background';
}

export interface LocalizationMap {
  /** The superpixel map the values are for. */
  mapId: number;
  /** One value per superpixel, scaled to 0..1. */
  values: Float32Array;
}

export interface SegmentationRequests {
  segment: { req: SegmentRequest; res: SegmentResult };
  /** Keeps what a freshly analysed photo's labels teach, for when the cache evicts it (worker/retainedRows.ts). */
  retain: { req: { photoId: string; strokes: Stroke[]; mask?: MaskRef }; res: null };
  /** Hands the worker a photo's ground-truth mask once, for the requests that name it by version. */
  'ground-truth': { req: PhotoMask; res: null };
  /** Labels one photo with the last trained head (no training): brings an evicted photo's labels up to date. */
  predict: { req: Omit<SegmentRequest, 'targets' | 'head'> & { photoId: string }; res: PhotoSegmentation };
  /** What the sampling panel shows: a class's localization map S(·, c), or the background affinity map. */
  localization: { req: LocalizationRequest; res: LocalizationMap };
  /**
   * The last trained head as `cli --head` reads it (ml/headIO.ts), with the fine-tuned backbone's weights when
   * pixel mode's features come from one; `no-labels` when none was trained yet.
   */
  exportHead: { req: ExportHeadRequest; res: { head: SavedHead; backbone?: Omit<FinetunedBackboneFile, 'weights'> & { data: Uint8Array } } };
}

// ---- exportHead: the trained head, for `cli export --head` ----

export interface ExportHeadRequest {
  /** The label set's id the head's class indices refer to. */
  labelSet: string;
}
