// Thesis §5.3.3 (regularization via label modeling): besides its own loss, the network must predict the same
// segmentation through the label autoencoder's decoder — a new 1×1 convolution predicts the decoder's input
// from a layer at the code's resolution, and the decoder's output takes a cross-entropy loss weighted by λ.
// With the backbone frozen the only trainable network is the pixel head (pixelHead.ts), so the auxiliary
// convolution reads the head's first layer on the grid (its logits, for the linear head), average-pooled to
// the code's 6×6 over the same stretched square the autoencoder sees. Table 5.2's variants: the decoder frozen
// (the method), unfrozen, or randomly initialised (and frozen); 'none' is the same loop with λ = 0.
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../core/clickProtocol.ts';
import { sampleLabelledCells } from '../core/pixelGrid.ts';
import { asymmetricLogLoss, inverseClassFrequencyWeights } from './asymmetricLoss.ts';
import { ClassifierHead, headInputs, type HeadConfig, type TrainedHead } from './classifierHead.ts';
import { LABEL_AE_VARIANTS, LabelAutoencoder } from './labelAutoencoder.ts';
import { reconstructionLoss } from './labelAeTraining.ts';
import { DEFAULT_LEVELS } from './levels.ts';
import { pixelMoments, pixelRows, type PixelSources } from './pixelFeatures.ts';
import { firstLayerOnGrid, PIXEL_CELLS_PER_PHOTO } from './pixelHead.ts';
import { mergeMoments, standardizationFromMoments } from './zoomoutFeatures.ts';

export type DecoderVariant = 'none' | 'frozen' | 'unfrozen' | 'random';

export interface RegularizedPhoto {
  sources: PixelSources;
  /** Class per grid cell, -1 unlabelled (core/pixelGrid.ts: gridLabels). */
  labels: Int32Array;
  /** The photo's label map at the autoencoder's working size (stretched, nearest; 255 = void, not scored). */
  target: Uint8Array;
}

export interface RegularizerOptions {
  decoder: DecoderVariant;
  /** Weight of the decoder path's loss. */
  lambda: number;
  head: HeadConfig;
  epochs: number;
  learningRate: number;
  weightDecay: number;
  seed: number;
  cellsPerPhoto?: number;
  /** Photos whose decoder path is computed per step, drawn afresh each step (a mini-batch; default 4). */
  decoderBatch?: number;
}

/** The decoder as the variant wants it, and the variables it adds to training (only 'unfrozen' has any). */
function decoderFor(ae: LabelAutoencoder, variant: DecoderVariant, seed: number): { decoder: LabelAutoencoder; trainable: tf.Variable[]; owned: boolean } {
  if (variant === 'unfrozen') {
    const copy = LabelAutoencoder.fromWeights(ae.config, Object.fromEntries(Object.entries(ae.weights()).map(([k, t]) => [k, tf.clone(t)])), true);
    return { decoder: copy, trainable: copy.trainableVariables(), owned: true };
  }
  if (variant === 'random') return { decoder: LabelAutoencoder.create(ae.config, seed), trainable: [], owned: true };
  return { decoder: ae, trainable: [], owned: false };
}

/** [1, code, code, units] from the first layer on the grid: stretched to the working square, then averaged per code cell. */
function pooledToCode(first: tf.Tensor2D, s: PixelSources, size: number): tf.Tensor4D {
  const grid = tf.reshape(first, [1, s.grid.rows, s.grid.cols, first.shape[1]]) as tf.Tensor4D;
  return tf.avgPool(tf.image.resizeBilinear(grid, [size, size], false, true), 16, 16, 'valid');
}

/** `size` distinct indices below `count` (all of them when fewer). */
function drawBatch(count: number, size: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < Math.min(size, count); i++) {
    const j = i + Math.floor(random() * (count - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, size);
}

/** A pixel head trained by Adam on the photos' sampled cells, plus λ × the decoder path's loss. */
export async function trainRegularizedPixelHead(photos: readonly RegularizedPhoto[], classes: number, ae: LabelAutoencoder, o: RegularizerOptions): Promise<TrainedHead> {
  const { layout } = photos[0].sources;
  const levels = DEFAULT_LEVELS.filter((l) => layout.blocks.some((b) => b.level === l));
  const standardization = standardizationFromMoments(mergeMoments(await Promise.all(photos.map((p) => pixelMoments(p.sources)))), layout);
  const random = seededRandom(o.seed);
  const picked = photos.map((p) => sampleLabelledCells(p.labels, o.cellsPerPhoto ?? PIXEL_CELLS_PER_PHOTO, random));
  const ys = picked.flatMap((cells, i) => Array.from(cells, (c) => photos[i].labels[c]));
  if (ys.length === 0) throw new Error('no labelled cells to train on');
  const head = ClassifierHead.create(o.head, layout.width, classes, o.seed);
  const model: TrainedHead = { head, layout, standardization, levels };
  const x = tf.tidy(() => headInputs(model, tf.concat(picked.map((cells, i) => pixelRows(photos[i].sources, cells))) as tf.Tensor2D));
  const y = tf.tensor1d(ys, 'int32');
  const classWeights = tf.tensor1d(inverseClassFrequencyWeights(ys, classes));
  const { size } = ae.config;
  const targets = photos.map((p) => tf.tensor3d(Int32Array.from(p.target), [1, size, size], 'int32'));
  const units = o.head.hidden[0] ?? classes;
  const codeChannels = LABEL_AE_VARIANTS[ae.config.variant][LABEL_AE_VARIANTS[ae.config.variant].length - 1];
  const aux = tf.tidy(() => ({
    kernel: tf.variable(tf.randomNormal([units, codeChannels], 0, Math.sqrt(1 / units), 'float32', o.seed)),
    bias: tf.variable(tf.zeros([codeChannels])),
  }));
  const { decoder, trainable, owned } = decoderFor(ae, o.decoder, o.seed);
  const optimizer = tf.train.adam(o.learningRate);
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const batch = drawBatch(photos.length, o.decoderBatch ?? 4, random);
      const loss = optimizer.minimize(
        () => {
          const penalty = tf.addN(head.kernels().map((k) => tf.sum(tf.square(k))));
          const own = tf.add(asymmetricLogLoss(head.logits(x), y, classWeights), tf.mul(o.weightDecay, penalty));
          if (o.decoder === 'none' || o.lambda === 0) return own as tf.Scalar;
          const viaDecoder = batch.map((i) => {
            const p = photos[i];
            // The 1×1 convolution as a product (WASM has no Conv2DBackpropFilter).
            const pooled = pooledToCode(firstLayerOnGrid(model, p.sources), p.sources, size);
            const [, h, w] = pooled.shape;
            const code = tf.reshape(tf.add(tf.matMul(tf.reshape(pooled, [h * w, units]), aux.kernel as tf.Tensor2D), aux.bias), [1, h, w, codeChannels]);
            return reconstructionLoss(decoder.decodeLogits(code as tf.Tensor4D), targets[i]);
          });
          return tf.add(own, tf.mul(o.lambda / batch.length, tf.addN(viaDecoder))) as tf.Scalar;
        },
        false,
        [...head.variables(), ...(o.decoder === 'none' ? [] : [aux.kernel, aux.bias, ...trainable])],
      );
      loss?.dispose();
    }
    return model;
  } catch (err) {
    head.dispose();
    throw err;
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, classWeights, ...targets, aux.kernel, aux.bias]);
    if (owned) decoder.dispose();
  }
}
