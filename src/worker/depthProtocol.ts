// Requests about depth (thesis §5.5; docs/depth.md): the depth regression's log depth per superpixel of a photo,
// depth read from a segmentation alone, and the regression fine-tuned on the user's own measured depth.
import type { DepthMetrics } from '../core/depthMetrics.ts';
import type { DepthRegressorFile } from '../ml/depthManifest.ts';
export interface DepthResult {
  /** The superpixel map the values are for. */
  mapId: number;
  /** Log metres per superpixel (the training photos' absolute scale). */
  logDepth: Float32Array;
  /** The model's smoothing of the painted depth (a fraction of the width; core/superpixelDepth.ts). */
  smoothing: number;
  /** Time the worker spent (features come from the segmentation's cache when it has them). */
  ms: number;
}

export interface SegmentationDepthResult {
  /** Metres per pixel of the map sent, at its size (the scale of the procedural rooms the net learnt). */
  metres: Float32Array;
  ms: number;
}

export interface MeasuredDepthResult {
  mapId: number;
  /** Share of the photo's pixels with a measurement. */
  measured: number;
  /** The depth model in use against the measurement, median-scaled (Table 5.5's measures). */
  metrics: DepthMetrics;
}

export interface DepthFineTuneResult {
  model: DepthRegressorFile;
  /** Photos whose measured superpixels it learnt from. */
  photos: string[];
  /** Photos asked for whose measured depth the worker did not hold (not analysed since it was attached). */
  missing: string[];
  /** Superpixels it learnt from. */
  rows: number;
  ms: number;
}

export interface DepthRequests {
  /**
   * `refresh`: the photo's depth is shown and its superpixels changed (another k): answered ahead of the
   * segmentation the change also asks for (issue 9: the preview within 200 ms), rather than after it as a
   * background preview waits. A dropped photo's first depth stays behind its first segmentation.
   */
  depth: { req: { photoId: string; refresh?: boolean }; res: DepthResult };
  /** Depth of a segmentation given as depth label values (0 unlabelled, 1..19; core/depthClasses.ts), at its size. */
  'segmentation-depth': { req: { width: number; height: number; classes: Uint8Array }; res: SegmentationDepthResult };
  /**
   * A photo's measured depth (millimetres at its superpixels' size, 0 = none), kept by the worker with the
   * photo's depth features for fine-tuning, and scored against the depth model in use.
   */
  'depth-measure': { req: { photoId: string; width: number; height: number; millimetres: Uint16Array }; res: MeasuredDepthResult };
  /** Fine-tunes the shipped depth regression on the measured photos given (λ: how firmly it keeps its weights); the result replaces the model in use. */
  'depth-finetune': { req: { photoIds: string[]; lambda: number }; res: DepthFineTuneResult };
  /** The depth regression in use: a fine-tuned one (a project reopened), or the shipped one when absent. */
  'depth-model': { req: { model?: DepthRegressorFile }; res: null };
  /** Forgets a photo's measured depth (removed by the user, or the photo closed). */
  'depth-unmeasure': { req: { photoId: string }; res: null };
}
