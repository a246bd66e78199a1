// The typed request/response protocol between the UI and the worker that owns tfjs: each request carries
// an id; the worker answers with progress events, then exactly one result or error for that id.
import type { BackendChoice, BackendPreference } from '../ml/backendNames.ts';
import type { RgbaImage } from '../core/types.ts';
import type { Size } from '../core/modelInputSize.ts';

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

export interface Requests {
  init: { req: { backend: BackendPreference }; res: { backend: BackendChoice; model: ModelInfo; loadMs: number } };
  analyze: {
    req: { photoId: string; image: RgbaImage; longSide: number };
    res: { inputSize: Size; forwardMs: number; classScores: Float32Array };
  };
  heatmap: { req: { photoId: string; kind: 'tap' | 'class'; index: number }; res: ScalarMap };
  forget: { req: { photoId: string }; res: null };
}

export type RequestType = keyof Requests;

export type RequestMessage = { [K in RequestType]: { id: number; type: K; payload: Requests[K]['req'] } }[RequestType];

export interface Progress {
  message: string;
  /** 0..1 when known. */
  fraction?: number;
}

export type ResponseMessage =
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'result'; payload: unknown }
  | { id: number; type: 'error'; message: string };
