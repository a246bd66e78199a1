// Thesis §4.3.2–4.3.3 for one photo: localization scores S(i, c) per superpixel → a sparse set of points per
// present class chosen by diverse sampling (eqs. 4.3.3–4.3.4) and background points by eq. 4.3.5, over the
// photo's zoom-out features normalized in two stages → a soft label source for the engine. Locations are
// superpixels (the studio's classifier labels superpixels), shown at their centroids.
import * as tf from '@tensorflow/tfjs';
import { normalizeFeatureSet, samplePoints } from '../core/diverseSampling.ts';
import type { LevelId } from './backboneManifest.ts';
import { SAMPLING_DEFAULTS, type SamplingOptions } from './samplingDefaults.ts';

export { SAMPLING_DEFAULTS, type SamplingOptions } from './samplingDefaults.ts';
import type { LabelSource } from '../core/labelSources.ts';
import type { LabelSet, SuperpixelMap } from '../core/types.ts';
import { detectorClassIndex, detectorLocalization, type Localization } from './detectorLocalization.ts';
import { levelColumns, type FeatureLayout } from './zoomoutFeatures.ts';

export interface SampledPoint {
  superpixel: number;
  classIndex: number;
  /** 1.. in order of choice within its class. */
  order: number;
  x: number;
  y: number;
}

export interface PhotoSample {
  points: SampledPoint[];
  source: LabelSource;
  /** [n × classes]: background and each present class where its map is on (findings.md: "each class only inside its own boxes"). */
  allowed: Uint8Array;
}

/** Where each class may be predicted when learning from the detector alone. */
export function allowedByLocalization(localization: Localization, background: number): Uint8Array {
  const { scores, classes } = localization;
  const allowed = new Uint8Array(scores.length);
  for (let o = 0; o < scores.length; o += classes) {
    allowed[o + background] = 1;
    for (let c = 0; c < classes; c++) if (scores[o + c] > 0) allowed[o + c] = 1;
  }
  return allowed;
}

export interface PhotoSuggestions {
  sample: PhotoSample;
  localization: Localization;
  /** The sampling features (two-stage normalized), [n × dim]. */
  z: Float32Array;
  dim: number;
}

/** Thesis §4.3 end to end for one photo: the detector's maps for the label set's classes, then the points. */
export async function suggestPoints(
  photo: { map: SuperpixelMap; features: tf.Tensor2D; layout: FeatureLayout },
  labelSet: LabelSet,
  detectorClasses: readonly string[],
  options: SamplingOptions = SAMPLING_DEFAULTS,
): Promise<PhotoSuggestions> {
  const localization = await detectorLocalization(photo.features, photo.layout, detectorClassIndex(labelSet, detectorClasses));
  return suggestPointsFrom(photo, localization, options);
}

/** Points sampled from any localization of the photo: the detector's or tag-trained nets' (localizationNet.ts). */
export async function suggestPointsFrom(
  photo: { map: SuperpixelMap; features: tf.Tensor2D; layout: FeatureLayout },
  localization: Localization,
  options: SamplingOptions = SAMPLING_DEFAULTS,
): Promise<PhotoSuggestions> {
  const { z, dim } = await samplingFeatures(photo.features, photo.layout, options.levels);
  return { sample: samplePhoto(photo.map, localization, z, dim, options), localization, z, dim };
}

/** The photo's features on `levels`, normalized in two stages (over this photo), as [n × dim] rows. */
export async function samplingFeatures(features: tf.Tensor2D, layout: FeatureLayout, levels: readonly LevelId[]): Promise<{ z: Float32Array; dim: number }> {
  const columns = levelColumns(layout, levels);
  const picked = tf.tidy(() => tf.gather(features, tf.tensor1d(columns, 'int32'), 1));
  const raw = (await picked.data()) as Float32Array;
  picked.dispose();
  const [z] = normalizeFeatureSet([{ features: raw, n: features.shape[0] }], columns.length);
  return { z, dim: columns.length };
}

/** Points for every class the localization finds present, plus background, as a soft label source. */
export function samplePhoto(map: SuperpixelMap, localization: Localization, z: Float32Array, dim: number, options: SamplingOptions = SAMPLING_DEFAULTS): PhotoSample {
  const foreground = localization.present.filter((c) => c !== options.background);
  const { points } = samplePoints(options.strategy, {
    scores: localization.scores,
    classes: foreground,
    classCount: localization.classes,
    z,
    dim,
    centroids: map.centroids,
    width: map.width,
    height: map.height,
    k: options.k,
    background: options.background,
    // A class is sampled only where its map is on (inside the detector's boxes, above a tag net's threshold); background anywhere.
    allowed: (c, i) => c === options.background || localization.scores[i * localization.classes + c] > 0,
  });
  const labels = new Int32Array(map.count).fill(-1);
  // A superpixel two classes both chose says nothing reliable: it is left unlabelled.
  const CONFLICT = -2;
  for (const p of points) labels[p.index] = labels[p.index] === -1 || labels[p.index] === p.classIndex ? p.classIndex : CONFLICT;
  for (let s = 0; s < labels.length; s++) if (labels[s] === CONFLICT) labels[s] = -1;
  const out: SampledPoint[] = points.map((p) => ({ superpixel: p.index, classIndex: p.classIndex, order: p.order, x: map.centroids[2 * p.index], y: map.centroids[2 * p.index + 1] }));
  return { points: out, source: { kind: 'points', labels, weight: options.weight, hard: false }, allowed: allowedByLocalization(localization, options.background) };
}
