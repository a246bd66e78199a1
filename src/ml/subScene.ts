// Thesis §3.4.1.4 sub-scene level (S1): features of the bounding box of the superpixels within three hops of
// the superpixel at hand. Instead of re-running the net on each warped box, the shared deep map is averaged
// over the box — four lookups in an integral image per superpixel, as one weighted segment sum on the backend.
import * as tf from '@tensorflow/tfjs';
import type { Size } from '../core/modelInputSize.ts';
import type { SuperpixelMap } from '../core/types.ts';
import { weightedSegmentSum, type SegmentPlan } from './superpixelPooling.ts';

export const SUB_SCENE_HOPS = 3;

/** Per superpixel, the inclusive pixel box (x0, y0, x1, y1) of everything within `hops` adjacency steps. */
export function neighbourhoodBoxes(map: SuperpixelMap, hops = SUB_SCENE_HOPS): Int32Array {
  const n = map.count;
  const out = new Int32Array(4 * n);
  const seen = new Int32Array(n).fill(-1);
  let frontier: number[] = [];
  for (let s = 0; s < n; s++) {
    let x0 = map.boxes[4 * s];
    let y0 = map.boxes[4 * s + 1];
    let x1 = map.boxes[4 * s + 2];
    let y1 = map.boxes[4 * s + 3];
    seen[s] = s;
    frontier = [s];
    for (let hop = 0; hop < hops; hop++) {
      const next: number[] = [];
      for (const u of frontier) {
        for (let k = map.adjacencyOffsets[u]; k < map.adjacencyOffsets[u + 1]; k++) {
          const v = map.adjacencyIndex[k];
          if (seen[v] === s) continue;
          seen[v] = s;
          next.push(v);
          x0 = Math.min(x0, map.boxes[4 * v]);
          y0 = Math.min(y0, map.boxes[4 * v + 1]);
          x1 = Math.max(x1, map.boxes[4 * v + 2]);
          y1 = Math.max(y1, map.boxes[4 * v + 3]);
        }
      }
      frontier = next;
    }
    out.set([x0, y0, x1, y1], 4 * s);
  }
  return out;
}

/** The plan that reads box means of a stride-`stride` map from its zero-padded integral image. */
export function subScenePlan(map: SuperpixelMap, modelSize: Size, stride: number, hops = SUB_SCENE_HOPS): SegmentPlan {
  const boxes = neighbourhoodBoxes(map, hops);
  const tw = modelSize.width / stride;
  const th = modelSize.height / stride;
  const kx = modelSize.width / map.width / stride;
  const ky = modelSize.height / map.height / stride;
  const n = map.count;
  const segmentIds = new Int32Array(4 * n);
  const rows = new Int32Array(4 * n);
  const weights = new Float32Array(4 * n);
  const iw = tw + 1;
  for (let s = 0; s < n; s++) {
    // Every tap cell the box overlaps, at least one.
    const cx0 = Math.min(tw - 1, Math.floor(boxes[4 * s] * kx));
    const cy0 = Math.min(th - 1, Math.floor(boxes[4 * s + 1] * ky));
    const cx1 = Math.min(tw, Math.max(cx0 + 1, Math.ceil((boxes[4 * s + 2] + 1) * kx)));
    const cy1 = Math.min(th, Math.max(cy0 + 1, Math.ceil((boxes[4 * s + 3] + 1) * ky)));
    const inv = 1 / ((cx1 - cx0) * (cy1 - cy0));
    segmentIds.fill(s, 4 * s, 4 * s + 4);
    rows.set([cy1 * iw + cx1, cy0 * iw + cx1, cy1 * iw + cx0, cy0 * iw + cx0], 4 * s);
    weights.set([inv, -inv, -inv, inv], 4 * s);
  }
  return { segments: n, uniform: false, segmentIds, rows, weights };
}

/** [1, h, w, C] map → [superpixels, C] means over each superpixel's neighbourhood box. */
export function poolSubScene(tap: tf.Tensor4D, plan: SegmentPlan): tf.Tensor2D {
  return tf.tidy(() => {
    const [, h, w, c] = tap.shape;
    const integral = tf.pad(tf.cumsum(tf.cumsum(tap, 1), 2), [[0, 0], [1, 0], [1, 0], [0, 0]]);
    return weightedSegmentSum(tf.reshape(integral, [(h + 1) * (w + 1), c]), plan);
  });
}
