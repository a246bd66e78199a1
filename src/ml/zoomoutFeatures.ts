// Thesis §3.3.1 (zoom-out feature fusion): every tap of one backbone pass, average-pooled inside each
// superpixel (local → distant levels L1–L5, the COCO head H), the sub-scene box (S1, §3.4.1.4) and the scene
// (S2), concatenated into one row per superpixel. Optional left-right flip with element-wise max (§3.4.1.4).
import * as tf from '@tensorflow/tfjs';
import { modelInputSize, type Size } from '../core/modelInputSize.ts';
import type { RgbaImage, SuperpixelMap } from '../core/types.ts';
import { Backbone, disposeOutputs, type BackboneOutputs } from './backbone.ts';
import type { BackboneManifest, LevelId, TapSpec } from './backboneManifest.ts';
import { ALL_LEVELS } from './levels.ts';
import { poolingPlan, poolTap, type SegmentPlan } from './superpixelPooling.ts';
import { poolSubScene, subScenePlan } from './subScene.ts';
import { decodeDetections, detectionMaps, type Detection } from './zoomoutFeaturesDetections.ts';

export { ALL_LEVELS } from './levels.ts';

/** Columns [start, end) of one source map (a tap, the sub-scene box, the scene vector). */
export interface FeatureBlock {
  level: LevelId;
  name: string;
  start: number;
  end: number;
}

export interface FeatureLayout {
  blocks: FeatureBlock[];
  width: number;
}

export interface ZoomoutFeatures {
  /** [superpixels, layout.width], raw pooled activations (standardize before a head). */
  features: tf.Tensor2D;
  layout: FeatureLayout;
}

export interface ZoomoutOptions {
  /** Taps whose map is box-averaged for S1; findings.md: the deepest alone helps, all taps hurt. */
  subSceneTaps?: (taps: readonly TapSpec[]) => number[];
  /** Adds the 80 COCO centre heatmaps to level H. */
  heatmaps?: boolean;
  /** Adds per-class detection-box maps (zoomoutFeaturesDetections.ts) to level H. */
  detections?: Detection[];
}

/** The default S1 source: the widest tap at the deepest stride. */
export function deepestTap(taps: readonly TapSpec[]): number[] {
  let best = 0;
  taps.forEach((t, i) => {
    if (t.stride > taps[best].stride || (t.stride === taps[best].stride && t.channels > taps[best].channels)) best = i;
  });
  return [best];
}

/** The model input size the outputs were computed at. */
function inputSizeOf(outputs: BackboneOutputs, taps: readonly TapSpec[]): Size {
  const [, h, w] = outputs.taps[0].shape;
  return { width: w * taps[0].stride, height: h * taps[0].stride };
}

/**
 * Pools `outputs` (and, when given, those of the left-right flipped input, max-fused) over `map`.
 * Tensors in `outputs` stay owned by the caller; the returned features are the caller's to dispose.
 */
export function extractZoomoutFeatures(
  outputs: BackboneOutputs,
  map: SuperpixelMap,
  taps: readonly TapSpec[],
  options: ZoomoutOptions = {},
  flipped?: BackboneOutputs,
): ZoomoutFeatures {
  const size = inputSizeOf(outputs, taps);
  const plans = new Map<number, SegmentPlan>();
  const planFor = (stride: number) => {
    let plan = plans.get(stride);
    if (!plan) plans.set(stride, (plan = poolingPlan(map, size, stride)));
    return plan;
  };
  type Unflip = (t: tf.Tensor4D) => tf.Tensor4D;
  const sources: { level: LevelId; name: string; channels: number; pool: (o: BackboneOutputs, unflip: Unflip) => tf.Tensor2D }[] = [];
  taps.forEach((t, i) =>
    sources.push({ level: t.level, name: t.node, channels: outputs.taps[i].shape[3], pool: (o, u) => poolTap(u(o.taps[i]), planFor(t.stride)) }),
  );
  if (options.heatmaps) {
    const stride = size.width / outputs.keypoints.shape[2];
    sources.push({ level: 'H', name: 'heatmaps', channels: outputs.keypoints.shape[3], pool: (o, u) => poolTap(u(o.keypoints), planFor(stride)) });
  }
  const detections = options.detections;
  if (detections) {
    const [, h, w, c] = outputs.keypoints.shape;
    const stride = size.width / w;
    sources.push({
      level: 'H',
      name: 'detections',
      channels: c,
      // Boxes come from the unflipped pass only: the mirrored pass would find the same objects.
      pool: () => tf.tidy(() => poolTap(detectionMaps(detections, h, w, c), planFor(stride))),
    });
  }
  for (const i of (options.subSceneTaps ?? deepestTap)(taps)) {
    const plan = subScenePlan(map, size, taps[i].stride);
    sources.push({ level: 'S1', name: `box(${taps[i].node})`, channels: outputs.taps[i].shape[3], pool: (o, u) => poolSubScene(u(o.taps[i]), plan) });
  }
  sources.push({
    level: 'S2',
    name: 'scene',
    channels: outputs.scene.shape[0],
    // A broadcast product, not tf.tile: WASM's Tile copies element by element (60 ms for 580 × 960, against 2).
    pool: (o) => tf.mul(tf.ones([map.count, 1]), tf.expandDims(o.scene, 0)),
  });
  // Blocks grouped by level, in ALL_LEVELS order, so a level's columns are contiguous.
  sources.sort((a, b) => ALL_LEVELS.indexOf(a.level) - ALL_LEVELS.indexOf(b.level));

  const features = tf.tidy(() => {
    const identity = (t: tf.Tensor4D) => t;
    const mirror = (t: tf.Tensor4D) => tf.reverse(t, 2);
    return tf.concat(
      sources.map((s) => (flipped ? tf.maximum(s.pool(outputs, identity), s.pool(flipped, mirror)) : s.pool(outputs, identity))),
      1,
    ) as tf.Tensor2D;
  });
  const blocks: FeatureBlock[] = [];
  let start = 0;
  for (const s of sources) {
    blocks.push({ level: s.level, name: s.name, start, end: start + s.channels });
    start += s.channels;
  }
  return { features, layout: { blocks, width: start } };
}

export interface PhotoFeatureOptions extends Omit<ZoomoutOptions, 'detections'> {
  /** Decodes the COCO detections of the pass and adds their box maps to level H. */
  detections?: boolean;
  /** Longer side of the model input (a multiple of 32 is kept). */
  longSide?: number;
  /** A square longSide × longSide input (the detector was trained on stretched squares) instead of the photo's aspect. */
  stretch?: boolean;
  flip?: boolean;
}

/** Each kept pass's detections: they do not depend on the superpixels, which change with every new k. */
const decoded = new WeakMap<tf.Tensor, Promise<Detection[]>>();

/**
 * Features from a pass already made (the studio keeps each photo's outputs): detections decoded when asked
 * (once per pass), then pooled. The outputs stay the caller's.
 */
export async function zoomoutFromOutputs(
  outputs: BackboneOutputs,
  map: SuperpixelMap,
  manifest: BackboneManifest,
  options: PhotoFeatureOptions = {},
  flipped?: BackboneOutputs,
): Promise<ZoomoutFeatures> {
  let detections: Detection[] | undefined;
  if (options.detections) {
    let pending = decoded.get(outputs.keypoints);
    if (!pending) {
      pending = decodeDetections(outputs.keypoints, outputs.wh, manifest.heatmaps.stride);
      decoded.set(outputs.keypoints, pending);
      // A failed decode is not remembered: the next map tries again.
      pending.catch(() => decoded.delete(outputs.keypoints));
    }
    detections = await pending;
  }
  return extractZoomoutFeatures(outputs, map, manifest.taps, { ...options, detections }, flipped);
}

/** One photo end to end: model-sized input, one backbone pass (two with flip), pooled features. */
export async function photoZoomoutFeatures(backbone: Backbone, image: RgbaImage, map: SuperpixelMap, options: PhotoFeatureOptions = {}): Promise<ZoomoutFeatures> {
  const side = options.longSide ?? 512;
  const size = options.stretch ? modelInputSize(side, side, side, backbone.manifest.input.sideMultiple) : modelInputSize(image.width, image.height, side, backbone.manifest.input.sideMultiple);
  const input = Backbone.prepareInput(image, size);
  const outputs = backbone.forward(input);
  let flipped: BackboneOutputs | undefined;
  try {
    if (options.flip) {
      const mirrored = tf.reverse(input, 2);
      flipped = backbone.forward(mirrored);
      mirrored.dispose();
    }
    return await zoomoutFromOutputs(outputs, map, backbone.manifest, options, flipped);
  } finally {
    input.dispose();
    disposeOutputs(outputs);
    if (flipped) disposeOutputs(flipped);
  }
}

/** Column indices of the chosen levels, for selecting a subset of cached features without recomputing. */
export function levelColumns(layout: FeatureLayout, levels: readonly LevelId[]): number[] {
  const columns: number[] = [];
  for (const b of layout.blocks) if (levels.includes(b.level)) for (let c = b.start; c < b.end; c++) columns.push(c);
  return columns;
}

/** Per-column affine map applied before a head: (x − mean) · scale. */
export interface Standardization {
  mean: Float32Array;
  scale: Float32Array;
}

/**
 * Per-dimension standardization over the photo's superpixels, then each block scaled by 1/√channels so
 * wide taps do not drown narrow ones (findings.md). Constant columns (the scene vector within one photo, dead
 * ReLU channels, classes nothing was detected of) get scale 0 and do not count as channels: a block's weight
 * must not shrink because most of it is silent in this photo.
 */
export async function fitStandardization(features: tf.Tensor2D, layout: FeatureLayout): Promise<Standardization> {
  // Every click retrains on the same photo's features: their statistics are computed once per tensor, and the
  // same object coming back lets later steps (graph smoothing's weights) reuse what they derived from it.
  const known = standardizations.get(features);
  if (known) return known;
  const fitted = await fitStandardizationOnce(features, layout);
  standardizations.set(features, fitted);
  return fitted;
}

const standardizations = new WeakMap<tf.Tensor2D, Standardization>();

async function fitStandardizationOnce(features: tf.Tensor2D, layout: FeatureLayout): Promise<Standardization> {
  return standardizationFromMoments(await columnMoments(features), layout);
}

/** Per-column mean and variance over a matrix's rows: what standardization needs of a photo, mergeable across photos. */
export interface ColumnMoments {
  count: number;
  mean: Float32Array;
  variance: Float32Array;
}

/** Computed once per tensor: the studio's worker keeps a photo's rows after every stroke on it (retainedRows.ts). */
export async function columnMoments(features: tf.Tensor2D): Promise<ColumnMoments> {
  const known = moments.get(features);
  if (known) return known;
  const fitted = await columnMomentsOnce(features);
  moments.set(features, fitted);
  return fitted;
}

const moments = new WeakMap<tf.Tensor2D, ColumnMoments>();

async function columnMomentsOnce(features: tf.Tensor2D): Promise<ColumnMoments> {
  // Column sums as a product with a row of 1/n: tf.moments transposes the whole matrix on WASM (7 ms a click).
  // Two passes (mean, then squares of the centred values) so constant columns come out exactly constant.
  const [meanT, varT] = tf.tidy(() => {
    const average = tf.fill([1, features.shape[0]], 1 / features.shape[0]);
    const mean = tf.matMul(average, features);
    return [mean, tf.matMul(average, tf.square(tf.sub(features, mean)))];
  });
  const [mean, variance] = [(await meanT.data()) as Float32Array, (await varT.data()) as Float32Array];
  tf.dispose([meanT, varT]);
  return { count: features.shape[0], mean, variance };
}

/** The moments of the union of the parts' rows (Chan, Golub and LeVeque's pairwise update, in float64). */
export function mergeMoments(parts: readonly ColumnMoments[]): ColumnMoments {
  if (parts.length === 1) return parts[0];
  const width = parts[0].mean.length;
  const count = parts.reduce((n, p) => n + p.count, 0);
  const mean = new Float64Array(width);
  for (const p of parts) for (let c = 0; c < width; c++) mean[c] += (p.mean[c] * p.count) / count;
  const variance = new Float64Array(width);
  for (const p of parts)
    for (let c = 0; c < width; c++) {
      const d = p.mean[c] - mean[c];
      variance[c] += (p.count * (p.variance[c] + d * d)) / count;
    }
  return { count, mean: Float32Array.from(mean), variance: Float32Array.from(variance) };
}

/**
 * Standardization from column moments. Each block is scaled by 1/√(its active channels); see fitStandardization.
 */
export function standardizationFromMoments({ mean, variance }: ColumnMoments, layout: FeatureLayout): Standardization {
  const scale = new Float32Array(layout.width);
  for (const b of layout.blocks) {
    let active = 0;
    for (let c = b.start; c < b.end; c++) {
      const sd = Math.sqrt(variance[c]);
      scale[c] = sd > 1e-4 * (1 + Math.abs(mean[c])) ? 1 / sd : 0;
      if (scale[c] > 0) active++;
    }
    if (active > 0) for (let c = b.start; c < b.end; c++) scale[c] /= Math.sqrt(active);
  }
  return { mean, scale };
}

export function standardize(features: tf.Tensor2D, st: Standardization): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sub(features, tf.tensor1d(st.mean)), tf.tensor1d(st.scale)));
}
