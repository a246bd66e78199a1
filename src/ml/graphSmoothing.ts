// Smoothing on the superpixel graph (findings.md: the one clearly helpful addition to the per-photo zoom-out
// head, +3 mIoU), in the spirit of the implicit smoothness of thesis §3.3.1: p ← (1−λ)·p₀ + λ·W·p, W the
// row-normalized feature-similarity weights between adjacent superpixels.
import * as tf from '@tensorflow/tfjs';
import type { SuperpixelMap } from '../core/types.ts';
import type { LevelId } from './backboneManifest.ts';
import { decide, headInputs, predictProbabilities, type Prediction, type TrainedHead } from './classifierHead.ts';

export interface SmoothingOptions {
  lambda?: number;
  steps?: number;
}

export const SMOOTHING_DEFAULTS = { lambda: 0.7, steps: 5 };

/**
 * Per adjacency entry (CSR order of `map`): exp(−d²/mean d²) of the squared distance between the two
 * superpixels' head inputs, normalized to sum 1 over each superpixel's neighbours. The inputs ([n × D], a few
 * MB) are read back once: gathering both ends of every edge on WASM costs far more than these loops.
 */
export async function similarityWeights(inputs: tf.Tensor2D, map: SuperpixelMap): Promise<Float32Array> {
  const x = (await inputs.data()) as Float32Array;
  const d = inputs.shape[1];
  const w = new Float32Array(map.adjacencyIndex.length);
  let total = 0;
  for (let s = 0; s < map.count; s++) {
    for (let k = map.adjacencyOffsets[s]; k < map.adjacencyOffsets[s + 1]; k++) {
      const t = map.adjacencyIndex[k];
      let d2 = 0;
      for (let c = 0, a = s * d, b = t * d; c < d; c++) {
        const diff = x[a + c] - x[b + c];
        d2 += diff * diff;
      }
      w[k] = d2;
      total += d2;
    }
  }
  const mean = total / Math.max(1, w.length) || 1;
  for (let s = 0; s < map.count; s++) {
    let sum = 0;
    for (let k = map.adjacencyOffsets[s]; k < map.adjacencyOffsets[s + 1]; k++) sum += w[k] = Math.exp(-w[k] / mean);
    for (let k = map.adjacencyOffsets[s]; k < map.adjacencyOffsets[s + 1]; k++) w[k] /= sum || 1;
  }
  return w;
}

/** The smoothing iteration on [n × classes] probabilities; a superpixel without neighbours keeps p₀. */
export function smoothProbabilities(p0: Float32Array, classes: number, map: SuperpixelMap, weights: Float32Array, options: SmoothingOptions = {}): Float32Array {
  const { lambda, steps } = { ...SMOOTHING_DEFAULTS, ...options };
  let p = p0.slice();
  for (let step = 0; step < steps; step++) {
    const next = new Float32Array(p.length);
    for (let s = 0; s < map.count; s++) {
      const a = map.adjacencyOffsets[s];
      const b = map.adjacencyOffsets[s + 1];
      const l = a === b ? 0 : lambda;
      for (let c = 0; c < classes; c++) {
        let wp = 0;
        for (let k = a; k < b; k++) wp += weights[k] * p[map.adjacencyIndex[k] * classes + c];
        next[s * classes + c] = (1 - l) * p0[s * classes + c] + l * wp;
      }
    }
    p = next;
  }
  return p;
}

export interface LabelingOptions {
  /** Smoothing parameters, or false for the head's raw output. */
  smoothing?: SmoothingOptions | false;
  /** Superpixels the user labelled (≥ 0) keep their label. */
  clicked?: Int32Array;
  levels?: readonly LevelId[];
  /** [n × classes], 0 where a class may not be predicted (a class only where its localization map is on). */
  allowed?: Uint8Array;
}

/** Zeroes the disallowed classes of each row and renormalizes; a row with no allowed class is left alone. */
export function restrictClasses(p: Float32Array, classes: number, allowed: Uint8Array): Float32Array {
  const out = p.slice();
  for (let o = 0; o < out.length; o += classes) {
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += allowed[o + c] ? out[o + c] : 0;
    if (sum <= 0) continue;
    for (let c = 0; c < classes; c++) out[o + c] = allowed[o + c] ? out[o + c] / sum : 0;
  }
  return out;
}

/** Similarity weights by features tensor, for the standardization and levels they were computed with. */
const weightCache = new WeakMap<tf.Tensor2D, { standardization: TrainedHead['standardization']; levels: string; weights: Float32Array }>();

/** `similarityWeights` of the head's inputs, reused while the photo's features, standardization and levels stay. */
async function cachedSimilarityWeights(model: TrainedHead, features: tf.Tensor2D, map: SuperpixelMap, levels?: readonly LevelId[]): Promise<Float32Array> {
  const key = (levels ?? model.levels).join();
  const known = weightCache.get(features);
  if (known && known.standardization === model.standardization && known.levels === key) return known.weights;
  const inputs = headInputs(model, features, levels);
  const weights = await similarityWeights(inputs, map);
  inputs.dispose();
  weightCache.set(features, { standardization: model.standardization, levels: key, weights });
  return weights;
}

/** The head's prediction for every superpixel, smoothed on the graph, clicked superpixels as given. */
export async function labelSuperpixels(model: TrainedHead, features: tf.Tensor2D, map: SuperpixelMap, options: LabelingOptions = {}): Promise<Prediction> {
  const classes = model.head.classes;
  let p = await predictProbabilities(model, features, options.levels);
  if (options.allowed) p = restrictClasses(p, classes, options.allowed);
  const clicked = options.clicked;
  // Clicks are ground truth: they enter smoothing as one-hot sources.
  if (clicked) for (let s = 0; s < map.count; s++) if (clicked[s] >= 0) p.fill(0, s * classes, (s + 1) * classes)[s * classes + clicked[s]] = 1;
  if (options.smoothing !== false) {
    const weights = await cachedSimilarityWeights(model, features, map, options.levels);
    p = smoothProbabilities(p, classes, map, weights, options.smoothing);
    if (options.allowed) p = restrictClasses(p, classes, options.allowed);
  }
  const prediction = decide(p, classes);
  if (clicked) for (let s = 0; s < map.count; s++) if (clicked[s] >= 0) prediction.classes[s] = clicked[s];
  return prediction;
}
