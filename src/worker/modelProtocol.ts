// Requests about the backbone: start-up, per-photo analysis and heatmaps.
import type { BackendChoice, BackendPreference } from '../ml/backendNames.ts';
import type { RgbaImage } from '../core/types.ts';
import type { Size } from '../core/modelInputSize.ts';
import type { ForwardTiming } from '../ml/benchmarkForward.ts';
import type { ModelStatus } from '../ml/modelRegistry.ts';

export interface ModelInfo {
  name: string;
  taps: { level: string; node: string; stride: number; channels: number }[];
  classes: string[];
}

/** A single-channel map normalised to 0..1 for display. */
export interface ScalarMap {
  width: number;
  height: number;
  values: Float32Array;
}

export interface WorkerMemory {
  numTensors: number;
  numBytes: number;
  photos: number;
  /** Of numTensors, those the cached photos hold (bounded by the cache); the rest must not grow with use. */
  photoTensors: number;
  /** Of numTensors, the loaded models' weights (a model loads on first use). */
  modelTensors: number;
}

export interface ModelRequests {
  /** Starts the backend and loads the backbone, warmed up at the input's longer side `longSide`. */
  init: { req: { backend: BackendPreference; longSide: number }; res: { backend: BackendChoice; model: ModelInfo; models: ModelStatus[]; loadMs: number } };
  /** The photo's working copy, kept in the worker for SLIC and the backbone. */
  load: { req: { photoId: string; image: RgbaImage }; res: null };
  /** One backbone pass over the loaded working copy. */
  analyze: {
    req: { photoId: string; longSide: number };
    res: { inputSize: Size; forwardMs: number; classScores: Float32Array };
  };
  heatmap: { req: { photoId: string; kind: 'tap' | 'class'; index: number }; res: ScalarMap };
  forget: { req: { photoId: string }; res: null };
  benchmark: { req: { sizes: Size[]; runs: number }; res: ForwardTiming[] };
  /** What the worker holds: tfjs tensors and their bytes, and the photos in its bounded cache. */
  memory: { req: null; res: WorkerMemory };
}
