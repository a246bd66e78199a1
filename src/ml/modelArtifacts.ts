// One loader for the browser (fetched static files) and Node (files on disk): both hand the graph JSON and
// the weight bytes here, where they are checked against the manifest before tfjs sees them, so a corrupted
// download or file fails with a clear message instead of a silent garbage forward pass.
import * as tf from '@tensorflow/tfjs';
import type { BackboneManifest } from './backboneManifest.ts';

export interface ModelFiles {
  modelJson: { modelTopology: unknown; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  weights: ArrayBuffer;
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifyWeights(files: ModelFiles, manifest: BackboneManifest): Promise<void> {
  const expected = manifest.converted['backbone/model.bin'];
  const got = await sha256Hex(files.weights);
  if (got !== expected) {
    throw new Error(
      `backbone weights are corrupted or from another version (sha256 ${got.slice(0, 12)}…, expected ${expected.slice(0, 12)}…): reinstall with npm ci or run npm run models`,
    );
  }
}

export function ioHandler(files: ModelFiles): tf.io.IOHandler {
  return {
    load: async () => ({
      modelTopology: files.modelJson.modelTopology as object,
      weightSpecs: files.modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: files.weights,
      format: 'graph-model',
    }),
  };
}
