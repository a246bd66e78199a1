// A converted graph model's files as tfjs loads them (checked against their manifest by the model registry
// before they get here, so a corrupted file fails with a clear message, never a garbage forward pass).
import * as tf from '@tensorflow/tfjs';

export interface ModelFiles {
  modelJson: { modelTopology: unknown; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  weights: ArrayBuffer;
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
