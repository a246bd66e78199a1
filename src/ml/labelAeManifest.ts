// The shape of models/label-ae.manifest.json, written by scripts/trainLabelAe.ts (thesis §5.3.1).
import type { LabelAeConfig } from './labelAutoencoder.ts';

export const LABEL_AE_WEIGHTS = 'label-ae/weights.bin';
export const LABEL_AE_SPECS = 'label-ae/weights.json';

export interface LabelAeManifest {
  name: string;
  architecture: LabelAeConfig & { encoderChannels: number[]; bottleneck: [number, number, number]; aspect: string; void: string };
  /** Files relative to models/ → sha256. */
  files: Record<string, string>;
  training: {
    data: string;
    maps: number;
    split: { rule: string; train: number; heldOut: string[] };
    seed: number;
    epochs: number;
    batch: number;
    optimizer: string;
    augmentation: string;
    backend: string;
    seconds: number;
    /** Earlier runs this one continued from (warm start), oldest first. */
    continuedFrom?: { epochs: number; optimizer: string; seconds: number; heldOutMIoU: number }[];
  };
  metrics: {
    /** Reconstruction mIoU (%) on the held-out maps at their original resolution, void excluded. */
    heldOutMIoU: number;
    heldOutPixelAccuracy: number;
    /** The same score of resizing to the working size and back with no autoencoder: the ceiling. */
    heldOutResizeCeilingMIoU: number;
    perClassIoU: Record<string, number>;
    finalTrainLoss: number;
  };
}
