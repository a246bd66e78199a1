// Small display maps from backbone outputs: a tap's channel mean, one class heatmap, per-class peak scores.
import * as tf from '@tensorflow/tfjs';

export interface NormalizedMap {
  width: number;
  height: number;
  values: Float32Array;
}

/** Channel `channel` of a [1,H,W,C] map, or the mean over channels when `channel` is undefined, scaled to 0..1. */
export async function normalizedChannel(map: tf.Tensor4D, channel?: number): Promise<NormalizedMap> {
  const [, height, width] = map.shape;
  const plane = tf.tidy(() => {
    const m = channel === undefined ? map.mean(3) : tf.slice(map, [0, 0, 0, channel], [1, -1, -1, 1]);
    const flat = m.reshape([height * width]);
    const lo = flat.min();
    const range = flat.max().sub(lo).maximum(1e-6);
    return flat.sub(lo).div(range);
  });
  const values = (await plane.data()) as Float32Array;
  plane.dispose();
  return { width, height, values };
}

/** The peak of each class heatmap: how strongly the detector sees that class anywhere in the photo. */
export async function classPeaks(keypoints: tf.Tensor4D): Promise<Float32Array> {
  const peaks = tf.tidy(() => keypoints.max([0, 1, 2]));
  const values = (await peaks.data()) as Float32Array;
  peaks.dispose();
  return values;
}
