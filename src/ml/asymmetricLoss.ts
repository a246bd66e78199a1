// Thesis eq. 3.3.1, the asymmetric loss: log loss with each example weighted by the inverse frequency of its
// class in the training data, −(1/N) Σᵢ (1/f_{yᵢ}) log p̂(yᵢ | φ(sᵢ)), so rare classes count as much as common ones.
import * as tf from '@tensorflow/tfjs';

/**
 * 1/f_c per class, f_c the (example-weighted) fraction of labelled examples of class c; 0 for classes with no
 * example. Without `exampleWeights` every example counts 1.
 */
export function inverseClassFrequencyWeights(labels: ArrayLike<number>, classes: number, exampleWeights?: ArrayLike<number>): Float32Array {
  const counts = new Float64Array(classes);
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0) continue;
    if (y >= classes) throw new RangeError(`label ${y} outside 0..${classes - 1}`);
    const w = exampleWeights ? exampleWeights[i] : 1;
    counts[y] += w;
    n += w;
  }
  return Float32Array.from(counts, (c) => (c > 0 ? n / c : 0));
}

/**
 * The loss of eq. 3.3.1 for `logits` [N, K] and int32 `labels` [N], given per-class weights [K] and, for
 * label sources of different trust (engine: strokes vs sampled points), per-example weights [N].
 */
export function asymmetricLogLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, classWeights: tf.Tensor1D, exampleWeights?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), logp), 1);
    const weights = tf.gather(classWeights, labels);
    return tf.neg(tf.mean(tf.mul(exampleWeights ? tf.mul(weights, exampleWeights) : weights, picked))) as tf.Scalar;
  });
}
