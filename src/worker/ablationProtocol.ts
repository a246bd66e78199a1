// Thesis §3.4.3, Table 3.4 in the studio: mIoU of heads trained on cumulative zoom-out level sets (L1, L1–2,
// …, all), scored against the ground truth of the photos that have one, with the superpixel oracle as ceiling.
import type { LevelId } from '../ml/backboneManifest.ts';
import type { HeadKind, PhotoStrokes } from './segmentationProtocol.ts';
import type { OracleResult } from '../core/superpixelOracle.ts';

export interface AblationPhoto extends PhotoStrokes {
  /** Class per working-copy pixel, 255 = ignore (state/groundTruthSlice.ts). */
  groundTruth: Uint8Array;
}

export interface AblationRequest {
  photos: AblationPhoto[];
  classes: number;
  head: HeadKind;
}

export interface AblationRow {
  /** Thesis-style name of the level set, e.g. "L1–3" or "L1–5+H+S1". */
  label: string;
  levels: LevelId[];
  /** Mean IoU over the classes present in the ground truth, 0..1. */
  miou: number;
  trainMs: number;
}

export interface AblationResult {
  rows: AblationRow[];
  /** Majority-vote superpixel labelling scored the same way: the ceiling of every row. */
  oracle: number;
  /** Photos scored and superpixels the strokes label across them. */
  photos: number;
  labelled: number;
  /** Live tensors in the worker after the run (a leak shows as growth between runs). */
  numTensors: number;
}

export interface OracleRequest {
  photoId: string;
  /** Class per working-copy pixel, 255 = ignore. */
  groundTruth: Uint8Array;
}

export interface AblationRequests {
  ablation: { req: AblationRequest; res: AblationResult };
  /** The superpixel oracle of one photo's current superpixels (thesis Table 3.3). */
  oracle: { req: OracleRequest; res: Omit<OracleResult, 'majority'> & { mapId: number } };
}
