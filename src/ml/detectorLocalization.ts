// Localization maps S(i, c) for thesis §4.3 from the backbone's own detector: the COCO centre heatmaps decoded
// into boxes and painted as score × a Gaussian clipped to each box (zoomoutFeaturesDetections.ts), already
// pooled per superpixel as the `detections` block of level H. A class of the label set reads the map of the
// COCO class of the same name (core/classMapping.ts: VOC "aeroplane" is COCO "airplane"); background and
// classes COCO lacks get no map. The image-level-tag localization of §4.3.1 is the other source of S.
import * as tf from '@tensorflow/tfjs';
import { classKey } from '../core/classMapping.ts';
import type { LabelSet } from '../core/types.ts';
import type { FeatureLayout } from './zoomoutFeatures.ts';

/** Per class of `labelSet`: the index of the detector class of the same name, or -1. */
export function detectorClassIndex(labelSet: LabelSet, detectorClasses: readonly string[]): Int32Array {
  const byKey = new Map(detectorClasses.map((name, i) => [classKey(name), i]));
  return Int32Array.from(labelSet.classes, (c) => byKey.get(classKey(c.name)) ?? -1);
}

export interface Localization {
  /** S(i, c) per superpixel i and class c of the label set, [n × classes] row-major, 0 for classes without a map. */
  scores: Float32Array;
  classes: number;
  /** Classes the detector found in the photo (some superpixel scores above 0), ascending. */
  present: number[];
}

/** The detector's localization of every label-set class, read from a photo's raw zoom-out features. */
export async function detectorLocalization(features: tf.Tensor2D, layout: FeatureLayout, mapping: Int32Array): Promise<Localization> {
  const block = layout.blocks.find((b) => b.name === 'detections');
  if (!block) throw new Error('the features have no detection maps (extract them with detections: true)');
  const n = features.shape[0];
  const width = block.end - block.start;
  const slice = tf.slice(features, [0, block.start], [n, width]);
  const detections = (await slice.data()) as Float32Array;
  slice.dispose();
  const classes = mapping.length;
  const scores = new Float32Array(n * classes);
  const seen = new Uint8Array(classes);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < classes; c++) {
      const d = mapping[c];
      if (d < 0) continue;
      const v = detections[i * width + d];
      scores[i * classes + c] = v;
      if (v > 0) seen[c] = 1;
    }
  }
  return { scores, classes, present: [...seen.keys()].filter((c) => seen[c]) };
}
