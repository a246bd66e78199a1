// Thesis §3.5: the backbone fine-tuned end to end under the pixel classifier. Starting from a pixel head trained
// on the frozen backbone (pixelHead.ts), Adam updates the head at one learning rate and the chosen blocks of the
// trainable backbone at a rate 10× lower, on random scale-crops of the labelled photos (core/scaleCrop.ts),
// with the same inverse-class-frequency log loss. The detection maps of level H come from the pretrained
// detector's boxes on the whole photo, moved into each crop: an input, not something this training changes.
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../core/clickProtocol.ts';
import { modelInputSize } from '../core/modelInputSize.ts';
import { cropCellLabels, photoToCrop, randomScaleCrop, type Crop } from '../core/scaleCrop.ts';
import type { RgbaImage } from '../core/types.ts';
import { inverseClassFrequencyWeights } from './asymmetricLoss.ts';
import { Backbone, disposeOutputs } from './backbone.ts';
import type { TrainedHead } from './classifierHead.ts';
import { disposePixelSources, GRID_STRIDE, pixelSources, type PixelSources } from './pixelFeatures.ts';
import { pixelLogits } from './pixelHead.ts';
import type { TrainableBackbone } from './trainableBackbone.ts';
import { decodeDetections, type Detection } from './zoomoutFeaturesDetections.ts';

export interface FinetunePhoto {
  image: RgbaImage;
  /** Class per pixel, -1 where unlabelled. */
  labels: Int32Array;
  /** The pretrained detector's boxes on the whole photo (photoDetections). */
  detections: PhotoDetections;
}

/** Detections with the heatmap grid they were decoded on, so they can be moved into any crop. */
export interface PhotoDetections {
  list: Detection[];
  cols: number;
  rows: number;
}

export interface FinetuneOptions {
  steps: number;
  /** Crops per step. */
  batch: number;
  /** The square model input's side, a multiple of 32. */
  side: number;
  /** The long side of the input the model labels photos at (the engine's: 512); crops at scale 1 match it. */
  longSide: number;
  headLearningRate: number;
  backboneLearningRate: number;
  /**
   * Fraction of the steps after which both rates fall tenfold (thesis §3.5: classifier 1e-4 and backbone 1e-5,
   * then 1e-5 and 1e-6); 1 keeps them.
   */
  rateDropAt: number;
  /** L2 penalty on the head's kernels, as the head was trained with. */
  weightDecay: number;
  seed: number;
  onStep?: (s: { step: number; steps: number; loss: number; ms: number }) => void;
  /** Awaited between steps (the studio's worker answers the requests waiting meanwhile). */
  betweenSteps?: () => Promise<void>;
  /** The backend ran out of memory: the step is retried at this smaller size. */
  onRetry?: (r: RunSize & { error: string }) => void;
  signal?: AbortSignal;
}

export interface RunSize {
  batch: number;
  side: number;
}

/** The messages tfjs backends and browsers give when a tensor does not fit (WebGPU, WebGL, wasm heap, JS). */
export function isOutOfMemory(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return /out of memory|OutOfMemory|\bOOM\b|failed to allocate|allocation failed|Cannot enlarge memory|Invalid typed array length|Array buffer allocation/i.test(text);
}

/** Half the batch, then half the crop side (a multiple of `multiple`); undefined once both are at their least. */
export function smallerRun({ batch, side }: RunSize, multiple: number): RunSize | undefined {
  if (batch > 1) return { batch: Math.ceil(batch / 2), side };
  const half = Math.floor(side / 2 / multiple) * multiple;
  return half >= multiple ? { batch, side: half } : undefined;
}

/** The thesis's rates (classifier 1e-4, backbone 10× lower); 256² crops, 4 a step. */
export const FINETUNE_DEFAULTS: FinetuneOptions = { steps: 40, batch: 4, side: 256, longSide: 512, headLearningRate: 1e-4, backboneLearningRate: 1e-5, rateDropAt: 0.75, weightDecay: 0.01, seed: 1 };

/** The rates of step `step` (1-based) of `steps`: the thesis's pair, a tenth of it once `rateDropAt` of the steps are done. */
export function finetuneRates(step: number, o: Pick<FinetuneOptions, 'steps' | 'headLearningRate' | 'backboneLearningRate' | 'rateDropAt'>): { head: number; backbone: number } {
  const scale = step > o.rateDropAt * o.steps ? 0.1 : 1;
  return { head: o.headLearningRate * scale, backbone: o.backboneLearningRate * scale };
}

/** The pretrained detector's boxes on the photo at the engine's input size (long side `longSide`). */
export async function photoDetections(backbone: Backbone, image: RgbaImage, longSide = 512): Promise<PhotoDetections> {
  const { manifest } = backbone;
  const input = Backbone.prepareInput(image, modelInputSize(image.width, image.height, longSide, manifest.input.sideMultiple));
  const outputs = backbone.forward(input);
  input.dispose();
  try {
    const [, rows, cols] = outputs.keypoints.shape;
    return { list: await decodeDetections(outputs.keypoints, outputs.wh, manifest.heatmaps.stride), cols, rows };
  } finally {
    disposeOutputs(outputs);
  }
}

/** Pixel-mode maps of the photo at the engine's input size through the (fine-tuned) backbone, with its pretrained detections. */
export function trainablePixelSources(backbone: TrainableBackbone, image: RgbaImage, detections: PhotoDetections, longSide = 512): PixelSources {
  const input = Backbone.prepareInput(image, modelInputSize(image.width, image.height, longSide, backbone.manifest.input.sideMultiple));
  const outputs = backbone.forward(input);
  input.dispose();
  const sources = pixelSources(outputs, backbone.manifest.taps, detections.list);
  disposeOutputs(outputs);
  return sources;
}

/** The photo's detections as seen in the crop, on a heatmap grid of `cols × rows`; boxes wholly outside it are dropped. */
export function cropDetections(d: PhotoDetections, image: { width: number; height: number }, crop: Crop, cols: number, rows: number): Detection[] {
  const toCrop = (x: number, y: number) => {
    const [u, v] = photoToCrop(crop, (x / d.cols) * image.width, (y / d.rows) * image.height);
    return [u * cols, v * rows];
  };
  return d.list.flatMap((det) => {
    const [ax, ay] = toCrop(det.box[0], det.box[1]);
    const [bx, by] = toCrop(det.box[2], det.box[3]);
    const [cx, cy] = toCrop(det.cx, det.cy);
    const box: Detection['box'] = [Math.min(ax, bx), ay, Math.max(ax, bx), by];
    if (box[2] <= 0 || box[0] >= cols || box[3] <= 0 || box[1] >= rows) return [];
    return [{ ...det, box, cx, cy }];
  });
}

/** The crop of the photo stretched to a side × side input (bilinear), mirrored if the crop says so. */
function cropInput(image: RgbaImage, crop: Crop, side: number): tf.Tensor4D {
  return tf.tidy(() => {
    const whole = Backbone.prepareInput(image, { width: image.width, height: image.height });
    const box = [[crop.y0 / image.height, crop.x0 / image.width, (crop.y0 + crop.height) / image.height, (crop.x0 + crop.width) / image.width]];
    const input = tf.image.cropAndResize(whole, box, [0], [side, side]);
    return (crop.flip ? tf.reverse(input, 2) : input) as tf.Tensor4D;
  });
}

/**
 * Σ over labelled cells of (1/f_y) · −log p(y) / the number of labelled cells: eq. 3.3.1 over the grid, as a
 * dense weighted sum (a gather's gradient, UnsortedSegmentSum, has no wasm kernel).
 */
function cellLoss(logits: tf.Tensor2D, labels: Int32Array, classWeights: Float32Array): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const weight = Float32Array.from(labels, (y) => (y >= 0 ? classWeights[y] : 0));
    const labelled = labels.reduce((n, y) => n + (y >= 0 ? 1 : 0), 0);
    const target = tf.oneHot(tf.tensor1d(Array.from(labels, (y) => Math.max(y, 0)), 'int32'), classes);
    const picked = tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, tf.tensor1d(weight)))), Math.max(1, labelled)) as tf.Scalar;
  });
}

/** One crop's labelled cells and inputs, made before the gradient tape runs. */
interface Sample {
  input: tf.Tensor4D;
  labels: Int32Array;
  detections: Detection[];
}

function sample(photo: FinetunePhoto, side: number, longSide: number, random: () => number): Sample {
  const { image } = photo;
  // At scale 1 the input shows the photo at the resolution the engine labels it at (long side `longSide`).
  const crop = randomScaleCrop(image.width, image.height, (Math.max(image.width, image.height) * side) / longSide, random);
  const grid = { cols: side / GRID_STRIDE, rows: side / GRID_STRIDE };
  return {
    input: cropInput(image, crop, side),
    labels: cropCellLabels(photo.labels, image.width, image.height, crop, grid),
    detections: cropDetections(photo.detections, image, crop, grid.cols, grid.rows),
  };
}

/**
 * Fine-tunes `backbone`'s trainable blocks (TrainableBackbone.setFinetune) and `model`'s head in place on the
 * photos' labels; returns the loss of every step. The head keeps its standardization and levels.
 */
export async function finetunePixelModel(backbone: TrainableBackbone, model: TrainedHead, photos: readonly FinetunePhoto[], options: Partial<FinetuneOptions> = {}): Promise<number[]> {
  const o = { ...FINETUNE_DEFAULTS, ...options };
  if (o.side % backbone.manifest.input.sideMultiple !== 0) throw new Error(`input side ${o.side} is not a multiple of ${backbone.manifest.input.sideMultiple}`);
  const usable = photos.filter((p) => p.labels.some((y) => y >= 0));
  if (usable.length === 0) throw new Error('no labelled photos to fine-tune on');
  const allLabels = new Int32Array(usable.reduce((n, p) => n + p.labels.length, 0));
  usable.reduce((at, p) => (allLabels.set(p.labels, at), at + p.labels.length), 0);
  const classWeights = inverseClassFrequencyWeights(allLabels, model.head.classes);
  const random = seededRandom(o.seed);
  const headVariables = model.head.variables();
  const backboneVariables = backbone.trainableVariables();
  const headOptimizer = tf.train.adam(o.headLearningRate);
  const backboneOptimizer = tf.train.adam(o.backboneLearningRate);
  const losses: number[] = [];
  /** One Adam step on `size.batch` fresh crops of `size.side`²; every tensor it makes is gone when it returns or throws. */
  const step = async (size: RunSize): Promise<number> => {
    const batch = Array.from({ length: size.batch }, () => sample(usable[Math.floor(random() * usable.length)], size.side, o.longSide, random));
    let grads: tf.NamedTensorMap = {};
    let value: tf.Scalar | undefined;
    try {
      ({ value, grads } = tf.variableGrads(() => {
        const parts = batch.map((s) => {
          const outputs = backbone.forward(s.input);
          const sources: PixelSources = pixelSources(outputs, backbone.manifest.taps, s.detections);
          disposeOutputs(outputs);
          const logits = pixelLogits(model, sources);
          disposePixelSources(sources);
          return cellLoss(tf.reshape(logits, [-1, logits.shape[2]]) as tf.Tensor2D, s.labels, classWeights);
        });
        const penalty = tf.mul(o.weightDecay, tf.addN(model.head.kernels().map((k) => tf.sum(tf.square(k)))));
        return tf.add(tf.div(tf.addN(parts), parts.length), penalty) as tf.Scalar;
      }, [...headVariables, ...backboneVariables]));
      const pick = (vars: tf.Variable[]) => Object.fromEntries(vars.map((v) => [v.name, grads[v.name]]).filter(([, g]) => g !== undefined));
      headOptimizer.applyGradients(pick(headVariables));
      if (backboneVariables.length) backboneOptimizer.applyGradients(pick(backboneVariables));
      return (await value.data())[0];
    } finally {
      tf.dispose([...(value ? [value] : []), ...Object.values(grads), ...batch.map((s) => s.input)]);
    }
  };
  let size: RunSize = { batch: o.batch, side: o.side };
  try {
    for (let i = 1; i <= o.steps; i++) {
      o.signal?.throwIfAborted();
      const t0 = performance.now();
      const rates = finetuneRates(i, o);
      (headOptimizer as unknown as { learningRate: number }).learningRate = rates.head;
      (backboneOptimizer as unknown as { learningRate: number }).learningRate = rates.backbone;
      let loss: number;
      for (;;) {
        try {
          loss = await step(size);
          break;
        } catch (err) {
          const smaller = isOutOfMemory(err) ? smallerRun(size, backbone.manifest.input.sideMultiple) : undefined;
          if (!smaller) throw err;
          o.onRetry?.({ ...smaller, error: (err as Error).message });
          size = smaller;
        }
      }
      losses.push(loss);
      o.onStep?.({ step: i, steps: o.steps, loss, ms: performance.now() - t0 });
      await (o.betweenSteps?.() ?? new Promise((resolve) => setTimeout(resolve, 0)));
    }
  } finally {
    headOptimizer.dispose();
    backboneOptimizer.dispose();
  }
  return losses;
}
