// A detection level for the zoom-out features (an extra beyond thesis §3.3.1, after findings.md's zero-click
// localization): the COCO head's centre peaks decoded into boxes, each painted as score × a Gaussian
// (σ = ¼ of the box side) clipped to its box, one map per COCO class at the heatmaps' stride. Pooled like a
// tap, it tells the per-photo head which detected object a superpixel lies in, which centre peaks alone
// (a few cells wide) cannot.
import * as tf from '@tensorflow/tfjs';

export interface Detection {
  classIndex: number;
  score: number;
  /** Box in heatmap cells (x0, y0, x1, y1), centre (cx, cy). */
  box: [number, number, number, number];
  cx: number;
  cy: number;
}

export const DETECTION_DEFAULTS = { maxDetections: 50, minScore: 0.2 };

/** Local maxima (3×3) of the heatmaps above `minScore`, at most `maxDetections`; only they are read back. */
export async function decodeDetections(keypoints: tf.Tensor4D, wh: tf.Tensor4D, stride: number, options = DETECTION_DEFAULTS): Promise<Detection[]> {
  const [, h, w, c] = keypoints.shape;
  const [valuesT, indicesT] = tf.tidy(() => {
    const peaks = tf.mul(keypoints, tf.cast(tf.equal(keypoints, tf.maxPool(keypoints, 3, 1, 'same')), 'float32'));
    const { values, indices } = tf.topk(tf.reshape(peaks, [-1]), Math.min(options.maxDetections, h * w * c));
    return [values, indices];
  });
  const [values, indices] = [await valuesT.data(), await indicesT.data()];
  tf.dispose([valuesT, indicesT]);
  const kept: number[] = [];
  for (let i = 0; i < values.length && values[i] >= options.minScore; i++) kept.push(i);
  if (kept.length === 0) return [];
  const cells = kept.map((i) => Math.floor(indices[i] / c));
  const edgesT = tf.tidy(() => tf.gather(tf.reshape(wh, [h * w, 4]), tf.tensor1d(cells, 'int32')));
  const edges = await edgesT.data();
  edgesT.dispose();
  return kept.map((i, k) => {
    const cell = cells[k];
    const cx = (cell % w) + 0.5;
    const cy = Math.floor(cell / w) + 0.5;
    // wh holds the distances from the centre to the left, top, right and bottom edges, in input pixels.
    const [l, t, r, b] = [0, 1, 2, 3].map((j) => edges[4 * k + j] / stride);
    return { classIndex: indices[i] % c, score: values[i], cx, cy, box: [cx - l, cy - t, cx + r, cy + b] };
  });
}

/** [1, h, w, classes] maps: per class the max over its detections of score × clipped Gaussian. */
export function detectionMaps(detections: readonly Detection[], h: number, w: number, classes: number): tf.Tensor4D {
  const maps = new Float32Array(h * w * classes);
  for (const d of detections) {
    const [x0, y0, x1, y1] = d.box;
    const sx = Math.max(0.5, (x1 - x0) / 4);
    const sy = Math.max(0.5, (y1 - y0) / 4);
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(h, Math.ceil(y1)); y++) {
      const gy = ((y + 0.5 - d.cy) / sy) ** 2;
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(w, Math.ceil(x1)); x++) {
        const v = d.score * Math.exp(-0.5 * (gy + ((x + 0.5 - d.cx) / sx) ** 2));
        const k = (y * w + x) * classes + d.classIndex;
        if (v > maps[k]) maps[k] = v;
      }
    }
  }
  return tf.tensor4d(maps, [1, h, w, classes]);
}
