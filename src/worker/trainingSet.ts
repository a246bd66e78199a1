// One head learns from the strokes of every open photo: their superpixels' features stacked into one matrix
// and their labels into one vector (-1 where unlabelled), in the same order. The caller disposes `features`.
import * as tf from '@tensorflow/tfjs';

export interface LabelledPhoto {
  features: tf.Tensor2D;
  labels: Int32Array;
}

export function stackTrainingSet(photos: readonly LabelledPhoto[]): { features: tf.Tensor2D; labels: Int32Array } {
  const labels = new Int32Array(photos.reduce((n, p) => n + p.labels.length, 0));
  let offset = 0;
  for (const p of photos) {
    labels.set(p.labels, offset);
    offset += p.labels.length;
  }
  return { features: tf.concat(photos.map((p) => p.features)), labels };
}
