// A trained zoom-out head (thesis §3.4.3) as JSON: weights, the levels and feature layout it reads and the
// standardization fitted on its training photo, so it can label other photos without retraining.
import type { LevelId } from './backboneManifest.ts';
import { ClassifierHead, type HeadConfig, type TrainedHead } from './classifierHead.ts';
import type { FeatureLayout } from './zoomoutFeatures.ts';
import type { Finetune } from './trainableBackbone.ts';
import type { io } from '@tensorflow/tfjs';

type WeightsManifestEntry = io.WeightsManifestEntry;

/** Superpixel rows (thesis §3.3) or the stride-4 grid's hypercolumns (§3.5, pixelHead.ts). */
export type HeadMode = 'superpixel' | 'pixel';

export interface SavedHead {
  format: 'zoomout-head';
  version: 1;
  /** Absent in files written before pixel mode: superpixel. */
  mode?: HeadMode;
  /** The label set's id (e.g. 'voc'); class indices refer to it. */
  labelSet: string;
  classes: number;
  config: HeadConfig;
  levels: LevelId[];
  layout: FeatureLayout;
  standardization: { mean: number[]; scale: number[] };
  layers: { kernel: number[]; bias: number[] }[];
  /** A pixel head trained end to end (ml/finetune.ts): the fine-tuned backbone weights it needs, in a file beside it. */
  backbone?: FinetunedBackboneFile;
}

export interface FinetunedBackboneFile {
  finetune: Finetune;
  /** File name, relative to the head file's folder. */
  weights: string;
  sha256: string;
  specs: WeightsManifestEntry[];
}

export async function saveHead(model: TrainedHead, labelSet: string, mode: HeadMode = 'superpixel'): Promise<SavedHead> {
  const layers = await model.head.weights();
  return {
    format: 'zoomout-head',
    version: 1,
    mode,
    labelSet,
    classes: model.head.classes,
    config: model.head.config,
    levels: model.levels,
    layout: model.layout,
    standardization: { mean: Array.from(model.standardization.mean), scale: Array.from(model.standardization.scale) },
    layers: layers.map((l) => ({ kernel: Array.from(l.kernel), bias: Array.from(l.bias) })),
  };
}

/** The head from its JSON; throws when it is not one or does not fit `layout` (features of another setup). */
export function loadHead(json: unknown, layout: FeatureLayout, mode: HeadMode = 'superpixel'): TrainedHead {
  const saved = json as SavedHead;
  if (saved?.format !== 'zoomout-head' || saved.version !== 1) throw new Error('not a zoom-out head file (format zoomout-head, version 1)');
  const savedMode = saved.mode ?? 'superpixel';
  if (savedMode !== mode) throw new Error(`the head was trained in ${savedMode} mode; use it with --mode ${savedMode}`);
  const names = (l: FeatureLayout) => l.blocks.map((b) => `${b.level}:${b.name}:${b.end - b.start}`).join();
  if (names(saved.layout) !== names(layout)) throw new Error('the head was trained on features of another layout (backbone or feature options differ)');
  const head = ClassifierHead.fromWeights(
    saved.config,
    layout.width,
    saved.classes,
    saved.layers.map((l) => ({ kernel: Float32Array.from(l.kernel), bias: Float32Array.from(l.bias) })),
  );
  return {
    head,
    layout,
    levels: saved.levels,
    standardization: { mean: Float32Array.from(saved.standardization.mean), scale: Float32Array.from(saved.standardization.scale) },
  };
}
