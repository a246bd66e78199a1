// Worker handlers for the backbone: start a backend, load the weights, analyse photos, show heatmaps.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../ml/backend.ts';
import { Backbone, disposeOutputs, type BackboneOutputs } from '../ml/backbone.ts';
import { BACKBONE } from '../ml/modelEntries.ts';
import { classPeaks, normalizedChannel } from '../ml/mapViews.ts';
import { benchmarkForward } from '../ml/benchmarkForward.ts';
import { modelInputSize } from '../core/modelInputSize.ts';
import { useLocalWasm } from './bundledModel.ts';
import { context, photoEntry, photoTensors, requireAnalysed, requireBackbone, type Handlers } from './workerContext.ts';
import type { ModelRequests } from './modelProtocol.ts';
import { WorkerError } from './protocol.ts';
import { forgetGroundTruth } from './segmentationHandlers.ts';
import { usePixelBackbone } from './pixelSegmentation.ts';

/**
 * The analysis once on a blank 4:3 photo at the user's input size: tfjs's first call of each kernel (the input's
 * conversion and resize, every convolution at that size) costs several times the next, and belongs to start-up,
 * not to the first photo a user drops (issue "Speed": dropped photo → segmentation within a second).
 */
async function warmUp(backbone: Backbone, longSide: number): Promise<void> {
  const image = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 4) };
  const input = Backbone.prepareInput(image, modelInputSize(image.width, image.height, longSide));
  const outputs = backbone.forward(input);
  input.dispose();
  await outputs.keypoints.data();
  disposeOutputs(outputs);
}

export const modelHandlers: Handlers<keyof ModelRequests> = {
  async init({ backend, longSide }, progress, signal) {
    const t0 = performance.now();
    // A cancelled load leaves no model behind: a half-started studio would look ready and then fail.
    const stopIfCancelled = () => {
      if (!signal.aborted) return;
      context.models.unloadAll();
      signal.throwIfAborted();
    };
    useLocalWasm();
    progress({ message: 'starting backend' });
    const choice = await selectBackend(backend);
    // Tensors of the previous backend cannot be used on the new one.
    context.photos.clear();
    context.retained.clear();
    context.models.unloadAll();
    usePixelBackbone(undefined);
    stopIfCancelled();
    progress({ message: 'loading weights', fraction: 0 });
    const backbone = await context.models.load<Backbone>(BACKBONE, (fraction) => progress({ message: 'loading weights', fraction }));
    stopIfCancelled();
    progress({ message: 'warming up' });
    await warmUp(backbone, longSide);
    stopIfCancelled();
    const { manifest } = backbone;
    return {
      backend: choice,
      model: { name: manifest.name, taps: manifest.taps, classes: manifest.heatmaps.classes },
      models: context.models.statuses(),
      loadMs: performance.now() - t0,
    };
  },

  async load({ photoId, image }) {
    photoEntry(photoId).image = image;
    return null;
  },

  async analyze({ photoId, longSide }) {
    const model = requireBackbone();
    const image = context.photos.get(photoId)?.image;
    if (!image) throw new WorkerError('not-resident', 'the worker holds no working copy of this photo');
    const inputSize = modelInputSize(image.width, image.height, longSide);
    const input = Backbone.prepareInput(image, inputSize);
    const t0 = performance.now();
    let outputs: BackboneOutputs;
    try {
      outputs = model.forward(input);
    } finally {
      input.dispose();
    }
    const classScores = await classPeaks(outputs.keypoints);
    const forwardMs = performance.now() - t0;
    const entry = photoEntry(photoId);
    if (entry.backbone) disposeOutputs(entry.backbone.outputs);
    entry.backbone = { inputSize, outputs };
    return { inputSize, forwardMs, classScores };
  },

  async memory() {
    const { numTensors, numBytes } = tf.memory();
    return { numTensors, numBytes, photos: context.photos.size, photoTensors: photoTensors(), modelTensors: context.models.tensors() };
  },

  async heatmap({ photoId, kind, index }) {
    const { outputs } = requireAnalysed(photoId);
    if (kind === 'class') return normalizedChannel(outputs.keypoints, index);
    const tap = outputs.taps[index];
    if (!tap) throw new Error(`no tap ${index}`);
    return normalizedChannel(tap);
  },

  async benchmark({ sizes, runs }) {
    return benchmarkForward(requireBackbone(), sizes, runs);
  },

  async forget({ photoId }) {
    context.photos.delete(photoId);
    context.retained.forget(photoId);
    forgetGroundTruth(photoId);
    return null;
  },
};
