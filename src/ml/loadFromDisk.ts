// Node's side of the one loader (no tfjs-node, whose install downloads binaries): read the converted model
// and its manifest from models/.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackboneManifest } from './backboneManifest.ts';
import type { ModelFiles } from './modelArtifacts.ts';
import * as tf from '@tensorflow/tfjs';
import { Backbone } from './backbone.ts';

export const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

export async function readManifest(dir = modelsDir): Promise<BackboneManifest> {
  return JSON.parse(await readFile(join(dir, 'backbone.manifest.json'), 'utf8')) as BackboneManifest;
}

export async function readModelFiles(dir = modelsDir): Promise<ModelFiles> {
  const [json, bin] = await Promise.all([readFile(join(dir, 'backbone', 'model.json'), 'utf8'), readFile(join(dir, 'backbone', 'model.bin'))]);
  return { modelJson: JSON.parse(json) as ModelFiles['modelJson'], weights: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer };
}

export async function loadBackboneFromDisk(dir = modelsDir): Promise<Backbone> {
  const [files, manifest] = await Promise.all([readModelFiles(dir), readManifest(dir)]);
  return Backbone.load(files, manifest);
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
