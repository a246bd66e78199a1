// Thesis eq. 3.3.1, the asymmetric loss: log loss with each example weighted by the inverse frequency of its
// class in the training data, −(1/N) Σᵢ (1/f_{yᵢ}) log p̂(yᵢ | φ(sᵢ)), so rare classes count as much as common ones.
import * as tf from '@tensorflow/tfjs';

/** 1/f_c per class, f_c the fraction of labelled examples of class c; 0 for classes with no example. */
export function inverseClassFrequencyWeights(labels: ArrayLike<number>, classes: number): Float32Array {
  const counts = new Float64Array(classes);
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0) continue;
    if (y >= classes) throw new RangeError(`label ${y} outside 0..${classes - 1}`);
    counts[y]++;
    n++;
  }
  return Float32Array.from(counts, (c) => (c > 0 ? n / c : 0));
}

/** The loss of eq. 3.3.1 for `logits` [N, K] and int32 `labels` [N], given per-class weights [K]. */
export function asymmetricLogLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, classWeights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), logp), 1);
    return tf.neg(tf.mean(tf.mul(tf.gather(classWeights, labels), picked))) as tf.Scalar;
  });
}
