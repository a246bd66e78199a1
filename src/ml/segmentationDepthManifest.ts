// The shape of models/seg-depth.manifest.json, written by scripts/trainSegDepth.ts (depth from segmentation,
// thesis §5.5; docs/depth.md).
import type { DepthMetrics } from '../core/depthMetrics.ts';

export const SEG_DEPTH_WEIGHTS = 'seg-depth/weights.bin';
export const SEG_DEPTH_SPECS = 'seg-depth/weights.json';

export interface SegmentationDepthManifest {
  name: string;
  inputs: string;
  classes: readonly string[];
  size: { width: number; height: number };
  /** Files relative to models/ → sha256. */
  files: Record<string, string>;
  training: { data: string; steps: number; batch: number; optimizer: string; loss: string; seed: number; backend: string; seconds: number; finalLoss: number };
  /** Held-out synthetic scenes of each kind (a seed the training never drew from), median-scaled, mean over scenes. */
  evaluation: {
    scenes: number;
    seed: number;
    indoor: SceneScores;
    outdoor: SceneScores;
  };
}

export interface SceneScores {
  ours: DepthMetrics;
  /** Without median scaling: the scale the net learnt. */
  oursUnscaled: DepthMetrics;
  /** The maps with about a tenth of their pixels unlabelled (dropLabels), as real maps are. */
  oursUnlabelled: DepthMetrics;
  constant: DepthMetrics;
  byRow: DepthMetrics;
}
