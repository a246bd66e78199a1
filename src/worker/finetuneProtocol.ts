// Requests about fine-tuning the backbone end to end under the pixel head (thesis §3.5; docs/finetune.md): the
// same label sources as a pixel-mode segment request, trained on the photos the worker holds.
import type { io } from '@tensorflow/tfjs';
import type { Finetune } from '../ml/trainableBackbone.ts';
import type { SegmentRequest } from './segmentationProtocol.ts';

export type FinetuneBlocks = Exclude<Finetune, 'none'>;

export interface FinetuneRequest extends Pick<SegmentRequest, 'training' | 'masks' | 'suggestions' | 'classes' | 'levels' | 'head'> {
  /** Photos whose suggested points count (those the UI segments). */
  targets: string[];
  blocks: FinetuneBlocks;
  steps: number;
  /** The long side photos are analysed at: crops at scale 1 show them at that resolution. */
  longSide: number;
}

export interface FinetuneResult {
  blocks: FinetuneBlocks;
  /** Loss per step. */
  losses: number[];
  /** Photos trained on, and labelled photos the worker does not hold (left out). */
  photos: number;
  notTrained: string[];
  /** Median wall time of a step. */
  stepMs: number;
  /** The backbone's fine-tuned weights now: every block a run trained since the last reset. */
  weights: FinetunedWeights;
}

/** Weights of the blocks `blocks` names, as tfjs encodes them: what a project saves and gives back to the worker. */
export interface FinetunedWeights {
  blocks: FinetuneBlocks;
  specs: io.WeightsManifestEntry[];
  data: Uint8Array;
}

export interface FinetuneRequests {
  finetune: { req: FinetuneRequest; res: FinetuneResult };
  /** Back to the pretrained backbone: the fine-tuned weights are dropped. */
  'reset-finetune': { req: Record<string, never>; res: null };
  /** A saved project's fine-tuned weights, loaded into the trainable backbone that pixel mode then reads. */
  'load-finetune': { req: FinetunedWeights; res: null };
}
