// The one segmentation engine (thesis ch. 3, few-label setting): photos' cached zoom-out features plus their
// label sources (core/labelSources.ts) → one head trained on every labelled superpixel of every photo, with
// per-example weights → graph-smoothed class, probabilities and confidence per superpixel. The studio's
// worker (segmentation and ablation), `cli segment` and `bench:segment` all call `segmentPhotos`.
import * as tf from '@tensorflow/tfjs';
import { combineLabelSources, type LabelSource } from '../core/labelSources.ts';
import { SEGMENTATION_SLIC } from '../core/segmentationSlic.ts';
import { slic, type SlicOptions } from '../core/slic.ts';
import type { RgbaImage, SuperpixelMap } from '../core/types.ts';
import type { Backbone } from './backbone.ts';
import type { LevelId } from './backboneManifest.ts';
import type { Prediction, TrainedHead } from './classifierHead.ts';
import { labelSuperpixels, type SmoothingOptions } from './graphSmoothing.ts';
import { trainHead, type TrainOptions, type TrainProgress } from './trainHead.ts';
import { columnMoments, mergeMoments, photoZoomoutFeatures, standardizationFromMoments, type ColumnMoments, type FeatureLayout, type PhotoFeatureOptions } from './zoomoutFeatures.ts';

export interface SegmentSettings {
  slic: SlicOptions;
  features: PhotoFeatureOptions;
  train: TrainOptions;
  smoothing: SmoothingOptions | false;
}

/** The defaults the benchmark chose (docs/zoomout.md). */
export const SEGMENT_DEFAULTS: SegmentSettings = {
  slic: SEGMENTATION_SLIC,
  features: { longSide: 512, flip: false, heatmaps: false, detections: true },
  train: {},
  smoothing: {},
};

/** A photo as the engine sees it: superpixels and their raw zoom-out features ([count × layout.width]). */
export interface SuperpixelFeatures {
  map: SuperpixelMap;
  features: tf.Tensor2D;
  layout: FeatureLayout;
}

/** SLIC and one backbone pass for a photo (CLI and benchmark; the studio's worker caches these per photo). */
export async function superpixelFeatures(backbone: Backbone, image: RgbaImage, settings: SegmentSettings = SEGMENT_DEFAULTS): Promise<SuperpixelFeatures> {
  const map = slic(image, settings.slic);
  return { map, ...(await photoZoomoutFeatures(backbone, image, map, settings.features)) };
}

/**
 * Only the labelled superpixels' features of a photo ([labelled × layout.width]): enough to train on, not to label
 * the photo (what the studio's worker keeps of a labelled photo its bounded cache evicted, worker/retainedRows.ts).
 */
export interface TrainingRows {
  features: tf.Tensor2D;
  layout: FeatureLayout;
  /** Where `features` are only some rows: the moments of all the photo's superpixels, which standardization covers. */
  moments?: ColumnMoments;
}

const hasSuperpixels = (p: TrainingRows): p is SuperpixelFeatures => 'map' in p;

export interface EnginePhoto<Id = string, P extends TrainingRows = SuperpixelFeatures> {
  id: Id;
  /** Its superpixels and features, or only its labelled rows (then it trains and is not labelled). */
  photo: P;
  sources: readonly LabelSource[];
  /** [count × classes], 0 where a class may not be predicted; classes a hard source uses stay allowed everywhere. */
  allowed?: Uint8Array;
}

export interface PhotoLabels<Id = string> extends Prediction {
  id: Id;
  /** Superpixels some source labels, and those a hard source (the user) fixed. */
  labelled: number;
  fixed: number;
}

export interface SegmentOptions<Id = string> {
  classes: number;
  settings?: Pick<SegmentSettings, 'train' | 'smoothing'>;
  /** Levels the head reads (default: the training settings' levels). */
  levels?: readonly LevelId[];
  /** Apply this head instead of training one. */
  head?: TrainedHead;
  /** Photos to label (default: all); photos outside it only train. */
  targets?: readonly Id[];
  warmStart?: TrainedHead;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

export interface EngineResult<Id = string> {
  /** The head trained here (absent when one was given); the caller disposes it. */
  trained?: TrainedHead;
  photos: PhotoLabels<Id>[];
  timings: { trainMs: number; predictMs: number };
}

/** Nothing to learn from: no source labels any superpixel of any photo. */
export class NoLabelsError extends Error {
  constructor() {
    super('paint at least one superpixel first');
  }
}

/** Trains one head on the label sources of all photos (unless `head` is given) and labels the targets. */
export async function segmentPhotos<Id>(photos: readonly EnginePhoto<Id, TrainingRows>[], options: SegmentOptions<Id>): Promise<EngineResult<Id>> {
  const settings = options.settings ?? SEGMENT_DEFAULTS;
  const levels = options.levels ?? settings.train.levels;
  const combined = photos.map((p) => combineLabelSources(p.photo.features.shape[0], p.sources));
  const t0 = performance.now();
  let trained: TrainedHead | undefined;
  if (!options.head) {
    const used = photos.map((p, i) => ({ p, c: combined[i] })).filter(({ c }) => c.labels.some((l) => l >= 0));
    if (used.length === 0) throw new NoLabelsError();
    const labels = concat(used.map(({ c }) => c.labels), Int32Array);
    const weights = concat(used.map(({ c }) => c.weights), Float32Array);
    const features = used.length === 1 ? used[0].p.photo.features : tf.concat(used.map(({ p }) => p.photo.features));
    const { layout } = used[0].p.photo;
    try {
      // Standardization covers every superpixel of the labelled photos, also those of which only rows are kept.
      const standardization = used.some(({ p }) => p.photo.moments)
        ? standardizationFromMoments(mergeMoments(await Promise.all(used.map(({ p }) => p.photo.moments ?? columnMoments(p.photo.features)))), layout)
        : undefined;
      trained = await trainHead(features, layout, labels, options.classes, {
        ...settings.train,
        standardization,
        levels,
        exampleWeights: weights,
        warmStart: options.warmStart,
        signal: options.signal,
        onProgress: options.onProgress,
      });
    } finally {
      if (used.length > 1) features.dispose();
    }
  }
  const t1 = performance.now();
  const model = options.head ?? trained!;
  const out: PhotoLabels<Id>[] = [];
  try {
    for (const [i, p] of photos.entries()) {
      const { photo } = p;
      if ((options.targets && !options.targets.includes(p.id)) || !hasSuperpixels(photo)) continue;
      options.signal?.throwIfAborted();
      const c = combined[i];
      const allowed = p.allowed && allowHardClasses(p.allowed, c.hard, options.classes);
      const prediction = await labelSuperpixels(model, photo.features, photo.map, { clicked: c.hard, levels, smoothing: settings.smoothing, allowed });
      out.push({ id: p.id, ...prediction, labelled: count(c.labels), fixed: count(c.hard) });
    }
  } catch (err) {
    trained?.head.dispose();
    throw err;
  }
  return { trained, photos: out, timings: { trainMs: t1 - t0, predictMs: performance.now() - t1 } };
}

/** The user's classes are never ruled out: a class painted anywhere on the photo is allowed everywhere on it. */
function allowHardClasses(allowed: Uint8Array, hard: Int32Array, classes: number): Uint8Array {
  const painted = new Set<number>();
  for (const c of hard) if (c >= 0) painted.add(c);
  if (painted.size === 0) return allowed;
  const out = allowed.slice();
  for (let o = 0; o < out.length; o += classes) for (const c of painted) out[o + c] = 1;
  return out;
}

function count(labels: Int32Array): number {
  let n = 0;
  for (const l of labels) if (l >= 0) n++;
  return n;
}

function concat<T extends Int32Array | Float32Array>(parts: T[], Kind: { new (n: number): T }): T {
  const out = new Kind(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
