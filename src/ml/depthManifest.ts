// The shape of models/depth.manifest.json and of the regressor file it names, written by scripts/trainDepth.ts
// (per-superpixel depth regression, docs/depth.md; thesis §5.5).
import type { DepthMetrics } from '../core/depthMetrics.ts';

export const DEPTH_MODEL_FILE = 'depth/ridge.json';

/** models/depth/ridge.json: log metres = intercept + Σ weights · (x − mean) / scale (scale 0: unused). */
export interface DepthRegressorFile {
  /** Zoom-out feature width this was trained on (the engine's layout), then the position columns. */
  zoomoutWidth: number;
  positionFeatures: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  intercept: number;
  /** Box-average radius of the painted log depth, as a fraction of the width (0 = none). */
  smoothing: number;
}

export interface DepthManifest {
  name: string;
  inputs: string;
  features: { zoomout: string; position: string[]; superpixels: string; target: string };
  /** Files relative to models/ → sha256. */
  files: Record<string, string>;
  training: {
    data: string;
    photos: string[];
    lambda: number;
    lambdas: number[];
    smoothing: number;
    smoothings: number[];
    positionPenalty: number;
    seed: string;
    backend: string;
    seconds: number;
  };
  /** Nested leave-one-photo-out, median-scaled, mean over photos. */
  crossValidation: { protocol: string; mean: DepthMetrics; perPhoto: { id: string; lambda: number; smoothing: number; metrics: DepthMetrics }[] };
}
