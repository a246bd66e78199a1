// Training the label autoencoder (thesis §5.3.1) on label maps alone: per-pixel cross-entropy between the
// reconstruction and the map it was given, Adam. Void (255) pixels of the target are not scored; the input
// has them filled (labelAutoencoder.ts: toWorkingSize).
import * as tf from '@tensorflow/tfjs';
import { IGNORE_LABEL } from '../core/types.ts';
import { oneHotBatch, type LabelAutoencoder } from './labelAutoencoder.ts';

/** Mean cross-entropy over the non-void pixels of `targets` ([b, s, s] int32, 255 = void). */
export function reconstructionLoss(logits: tf.Tensor4D, targets: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[3];
    const flat = tf.reshape(targets, [-1]);
    const scored = tf.notEqual(flat, IGNORE_LABEL);
    const truth = tf.oneHot(tf.where(scored, flat, tf.zerosLike(flat)), classes);
    const perPixel = tf.neg(tf.sum(tf.mul(truth, tf.logSoftmax(tf.reshape(logits, [-1, classes]))), 1));
    const weight = tf.cast(scored, 'float32');
    return tf.div(tf.sum(tf.mul(perPixel, weight)), tf.maximum(tf.sum(weight), 1));
  });
}

export interface TrainBatch {
  /** Working-size maps without void (the encoder's input). */
  inputs: Uint8Array[];
  /** The same maps at working size with their void (what is scored). */
  targets: Uint8Array[];
}

/** One Adam step on a batch; returns the batch's loss. */
export function trainStep(ae: LabelAutoencoder, optimizer: tf.Optimizer, batch: TrainBatch): number {
  const { size, classes } = ae.config;
  const loss = tf.tidy(() => {
    const x = oneHotBatch(batch.inputs, size, classes);
    const flat = new Int32Array(batch.targets.length * size * size);
    batch.targets.forEach((t, i) => flat.set(t, i * size * size));
    const y = tf.tensor3d(flat, [batch.targets.length, size, size], 'int32');
    return optimizer.minimize(() => reconstructionLoss(ae.decodeLogits(ae.encode(x)), y), true, ae.trainableVariables()) as tf.Scalar;
  });
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}
