// The models of the registry (ml/modelRegistry.ts). Adding a model: convert or train it into models/ with a
// manifest naming its files' sha256, and add its entry here.
import type { Backbone } from './backbone.ts';
import { Backbone as BackboneModel } from './backbone.ts';
import type { BackboneManifest } from './backboneManifest.ts';
import { DEPTH_MODEL_FILE, type DepthManifest } from './depthManifest.ts';
import { DepthModel } from './depthModel.ts';
import type { ModelFiles } from './modelArtifacts.ts';
import type { ModelEntry } from './modelRegistry.ts';
import * as tf from '@tensorflow/tfjs';
import { LABEL_AE_SPECS, LABEL_AE_WEIGHTS, type LabelAeManifest } from './labelAeManifest.ts';
import { LabelAutoencoder } from './labelAutoencoder.ts';
import { TrainableBackbone, type Finetune } from './trainableBackbone.ts';
import { SEG_DEPTH_SPECS, SEG_DEPTH_WEIGHTS, type SegmentationDepthManifest } from './segmentationDepthManifest.ts';
import { SegmentationDepthNet } from './segmentationDepthNet.ts';

export const BACKBONE = 'backbone';

function backboneFiles(files: Record<string, ArrayBuffer>): ModelFiles {
  const modelJson = JSON.parse(new TextDecoder().decode(files['backbone/model.json'])) as ModelFiles['modelJson'];
  return { modelJson, weights: files['backbone/model.bin'] };
}

export function backboneEntry(manifest: BackboneManifest): ModelEntry<Backbone> {
  return {
    id: BACKBONE,
    name: manifest.name,
    files: manifest.converted,
    build: (files) => BackboneModel.load(backboneFiles(files), manifest),
    dispose: (b) => b.dispose(),
    tensors: (b) => b.tensors(),
  };
}

export const TRAINABLE_BACKBONE = 'trainable-backbone';

/** The same converted files as the backbone, as variables that fine-tuning can update (docs/finetune.md). */
export function trainableBackboneEntry(manifest: BackboneManifest, finetune: Finetune): ModelEntry<TrainableBackbone> {
  return {
    id: TRAINABLE_BACKBONE,
    name: `${manifest.name} (trainable)`,
    files: manifest.converted,
    build: async (files) => TrainableBackbone.fromFiles(backboneFiles(files), manifest, finetune),
    dispose: (b) => b.dispose(),
    tensors: (b) => b.tensors(),
  };
}

export const LABEL_AE = 'label-ae';

export function labelAutoencoderEntry(manifest: LabelAeManifest): ModelEntry<LabelAutoencoder> {
  return {
    id: LABEL_AE,
    name: manifest.name,
    files: manifest.files,
    build: async (files) => {
      const specs = JSON.parse(new TextDecoder().decode(files[LABEL_AE_SPECS])) as tf.io.WeightsManifestEntry[];
      const { variant, classes, size } = manifest.architecture;
      return LabelAutoencoder.fromWeights({ variant, classes, size }, tf.io.decodeWeights(files[LABEL_AE_WEIGHTS], specs));
    },
    dispose: (ae) => ae.dispose(),
    tensors: (ae) => ae.tensors(),
  };
}

export const DEPTH = 'depth';

/** The per-superpixel depth regression (docs/depth.md): plain numbers, no tensors to dispose. */
export function depthEntry(manifest: DepthManifest): ModelEntry<DepthModel> {
  return {
    id: DEPTH,
    name: manifest.name,
    files: manifest.files,
    build: async (files) => DepthModel.fromBytes(files[DEPTH_MODEL_FILE]),
    dispose: () => undefined,
    tensors: () => 0,
  };
}

export const SEG_DEPTH = 'seg-depth';

/** Depth from a segmentation (docs/depth.md): a small tfjs net, weights verified against its manifest. */
export function segmentationDepthEntry(manifest: SegmentationDepthManifest): ModelEntry<SegmentationDepthNet> {
  return {
    id: SEG_DEPTH,
    name: manifest.name,
    files: manifest.files,
    build: async (files) => {
      const specs = JSON.parse(new TextDecoder().decode(files[SEG_DEPTH_SPECS])) as tf.io.WeightsManifestEntry[];
      return SegmentationDepthNet.fromWeights(tf.io.decodeWeights(files[SEG_DEPTH_WEIGHTS], specs));
    },
    dispose: (net) => net.dispose(),
    tensors: (net) => net.tensors(),
  };
}
