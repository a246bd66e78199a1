// One photo through the interactive zoom-out pipeline (thesis ch. 3, few-click setting): SLIC, zoom-out
// features, a head trained on the scribbled superpixels, graph-smoothed prediction painted back to pixels.
// Shared by the studio's worker, the `segment` command and scripts/benchSegment.ts, so the benchmark measures
// the code path users run.
import { paintSuperpixels, superpixelLabelsFromScribbles } from '../core/scribbles.ts';
import { slic, type SlicOptions } from '../core/slic.ts';
import { SEGMENTATION_SLIC } from '../core/segmentationSlic.ts';
import type { RgbaImage, SuperpixelMap } from '../core/types.ts';
import type { Backbone } from './backbone.ts';
import type { Prediction, TrainedHead } from './classifierHead.ts';
import { labelSuperpixels, type SmoothingOptions } from './graphSmoothing.ts';
import { trainHead, type TrainOptions } from './trainHead.ts';
import { photoZoomoutFeatures, type PhotoFeatureOptions, type ZoomoutFeatures } from './zoomoutFeatures.ts';

export interface SegmentSettings {
  slic: SlicOptions;
  features: PhotoFeatureOptions;
  train: TrainOptions;
  smoothing: SmoothingOptions | false;
}

/** The defaults the benchmark chose (docs/zoomout.md). */
export const SEGMENT_DEFAULTS: SegmentSettings = {
  slic: SEGMENTATION_SLIC,
  features: { longSide: 512, flip: false, heatmaps: false, detections: true },
  train: {},
  smoothing: {},
};

export interface PhotoFeatures extends ZoomoutFeatures {
  map: SuperpixelMap;
}

export async function photoFeatures(backbone: Backbone, image: RgbaImage, settings: SegmentSettings = SEGMENT_DEFAULTS): Promise<PhotoFeatures> {
  const map = slic(image, settings.slic);
  return { map, ...(await photoZoomoutFeatures(backbone, image, map, settings.features)) };
}

export interface Segmentation {
  /** The head trained here (absent when a saved head was given); the caller disposes it. */
  trained?: TrainedHead;
  prediction: Prediction;
  /** Class index per pixel. */
  pixels: Uint8Array;
  /** Milliseconds spent training (0 with a given head) and predicting. */
  timings: { train: number; predict: number };
}

/** Labels every superpixel from the scribbles (255 = none), training a head unless `head` is given. */
export async function segmentFromScribbles(
  photo: PhotoFeatures,
  scribbles: ArrayLike<number>,
  classes: number,
  settings: SegmentSettings = SEGMENT_DEFAULTS,
  head?: TrainedHead,
): Promise<Segmentation> {
  const t0 = performance.now();
  const clicked = superpixelLabelsFromScribbles(photo.map, scribbles);
  const trained = head ? undefined : await trainHead(photo.features, photo.layout, clicked, classes, settings.train);
  const t1 = performance.now();
  const prediction = await labelSuperpixels(head ?? trained!, photo.features, photo.map, { clicked, smoothing: settings.smoothing, levels: settings.train.levels });
  const pixels = paintSuperpixels(photo.map, prediction.classes);
  return { trained, prediction, pixels, timings: { train: t1 - t0, predict: performance.now() - t1 } };
}
