// Node's side of the one loader (no tfjs-node, whose install downloads binaries): read the converted model
// and its manifest from models/.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackboneManifest } from './backboneManifest.ts';
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from './backbone.ts';
import type { DepthManifest } from './depthManifest.ts';
import type { DepthModel } from './depthModel.ts';
import type { Finetune, TrainableBackbone } from './trainableBackbone.ts';
import type { LabelAeManifest } from './labelAeManifest.ts';
import type { LabelAutoencoder } from './labelAutoencoder.ts';
import { BACKBONE, DEPTH, LABEL_AE, SEG_DEPTH, TRAINABLE_BACKBONE, backboneEntry, depthEntry, labelAutoencoderEntry, segmentationDepthEntry, trainableBackboneEntry } from './modelEntries.ts';
import { ModelRegistry, type ModelFileSource } from './modelRegistry.ts';
import type { SegmentationDepthManifest } from './segmentationDepthManifest.ts';
import type { SegmentationDepthNet } from './segmentationDepthNet.ts';

export const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

export async function readManifest(dir = modelsDir): Promise<BackboneManifest> {
  return JSON.parse(await readFile(join(dir, 'backbone.manifest.json'), 'utf8')) as BackboneManifest;
}

/** Node's file source for the model registry: models/ on disk. */
export function diskModelSource(dir = modelsDir): ModelFileSource {
  return async (path, onProgress) => {
    const bytes = await readFile(join(dir, path));
    onProgress(1);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
}

/** The backbone through the registry (its files verified against the manifest), as the studio loads it. */
export async function loadBackboneFromDisk(dir = modelsDir): Promise<Backbone> {
  const registry = new ModelRegistry(diskModelSource(dir)).register(backboneEntry(await readManifest(dir)));
  return registry.load<Backbone>(BACKBONE);
}

/** The backbone as trainable variables, `finetune`'s blocks trainable, from the same verified files. */
export async function loadTrainableBackboneFromDisk(finetune: Finetune, dir = modelsDir): Promise<TrainableBackbone> {
  const registry = new ModelRegistry(diskModelSource(dir)).register(trainableBackboneEntry(await readManifest(dir), finetune));
  return registry.load<TrainableBackbone>(TRAINABLE_BACKBONE);
}

export async function readLabelAeManifest(dir = modelsDir): Promise<LabelAeManifest> {
  return JSON.parse(await readFile(join(dir, 'label-ae.manifest.json'), 'utf8')) as LabelAeManifest;
}

/** The shipped label autoencoder (thesis §5.3.1) through the registry, its files verified against its manifest. */
export async function loadLabelAutoencoderFromDisk(dir = modelsDir): Promise<LabelAutoencoder> {
  return new ModelRegistry(diskModelSource(dir)).register(labelAutoencoderEntry(await readLabelAeManifest(dir))).load<LabelAutoencoder>(LABEL_AE);
}

/** The depth regression through the registry (its file verified against models/depth.manifest.json). */
export async function loadDepthModelFromDisk(dir = modelsDir): Promise<DepthModel> {
  const manifest = JSON.parse(await readFile(join(dir, 'depth.manifest.json'), 'utf8')) as DepthManifest;
  return new ModelRegistry(diskModelSource(dir)).register(depthEntry(manifest)).load<DepthModel>(DEPTH);
}

/** The depth-from-segmentation net through the registry (its files verified against models/seg-depth.manifest.json). */
export async function loadSegmentationDepthFromDisk(dir = modelsDir): Promise<SegmentationDepthNet> {
  const manifest = JSON.parse(await readFile(join(dir, 'seg-depth.manifest.json'), 'utf8')) as SegmentationDepthManifest;
  return new ModelRegistry(diskModelSource(dir)).register(segmentationDepthEntry(manifest)).load<SegmentationDepthNet>(SEG_DEPTH);
}

/** The package's unconverted graph (512×512 inputs only): the reference the conversion is tested and timed against. */
export async function loadOriginalGraph(): Promise<tf.GraphModel> {
  const dir = join(modelsDir, '../node_modules/@vladmandic/human/models');
  const json = JSON.parse(await readFile(join(dir, 'centernet.json'), 'utf8'));
  const bin = await readFile(join(dir, 'centernet.bin'));
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: 'graph-model',
    }),
  });
}
