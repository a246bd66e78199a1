// Thesis §3.4.2–3.4.3: fitting a superpixel head on zoom-out features with the asymmetric loss (eq. 3.3.1),
// here from a few labelled superpixels with L2 weight decay. The linear head is solved to its optimum in the
// span of the labelled rows (core/dualSoftmaxSolver.ts: a click answered in milliseconds); the MLP, or level
// dropout, trains by full-batch Adam with warm start, progress per epoch and cancellation.
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../core/clickProtocol.ts';
import { solveDualSoftmax } from '../core/dualSoftmaxSolver.ts';
import type { LevelId } from './backboneManifest.ts';
import { DEFAULT_LEVELS } from './levels.ts';
import { asymmetricLogLoss, inverseClassFrequencyWeights } from './asymmetricLoss.ts';
import { ClassifierHead, LINEAR_HEAD, levelMask, type HeadConfig, type TrainedHead } from './classifierHead.ts';
import { fitStandardization, standardize, type FeatureLayout, type Standardization } from './zoomoutFeatures.ts';

export interface TrainProgress {
  epoch: number;
  epochs: number;
  loss: number;
}

export interface TrainOptions {
  head?: HeadConfig;
  /** Levels the head sees (default: DEFAULT_LEVELS present in the layout). */
  levels?: readonly LevelId[];
  /** Probability of hiding each level from each example at each step, so any subset works without retraining. */
  levelDropout?: number;
  epochs?: number;
  learningRate?: number;
  weightDecay?: number;
  /** Loss weight per row of `features` (label sources of different trust); 1 for every row by default. */
  exampleWeights?: Float32Array;
  /** A previous head to start from (used when its shape fits). */
  warmStart?: TrainedHead;
  /**
   * Standardization fitted elsewhere, for when `features` holds only some of the superpixels it should cover
   * (photos of which only labelled rows are kept); default: fitted on `features`.
   */
  standardization?: Standardization;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
  seed?: number;
  /**
   * 'optimum' solves the linear head exactly (the default, up to OPTIMUM_MAX_ROWS labelled rows, Adam beyond);
   * 'adam' runs `epochs` Adam steps as any head does.
   */
  solver?: 'optimum' | 'adam';
}

/** Measured on coco-mini (docs/zoomout.md): a handful of clicks wants strong decay (1e-3 lost 15–25 points). */
export const TRAIN_DEFAULTS = { epochs: 50, learningRate: 0.2, weightDecay: 0.1, levelDropout: 0, seed: 1, solver: 'optimum' as 'optimum' | 'adam' };

export { DEFAULT_LEVELS } from './levels.ts';

/**
 * Above this many labelled rows the N×N Gram solve costs more than Adam over the features (measured: 0.3 s
 * against 1.2 s at 200 rows, 5.3 s against 3.3 s at 1600): whole masks train by Adam, clicks by the optimum.
 */
export const OPTIMUM_MAX_ROWS = 1000;

/** How often training yields to the event loop, so an abort message can arrive. */
const YIELD_EVERY = 10;

/**
 * Trains a head on the superpixels with `labels[s] ≥ 0` (class indices < `classes`). `features` are the
 * photo's raw zoom-out features; standardization is fitted on all its superpixels, labelled or not.
 */
export async function trainHead(
  features: tf.Tensor2D,
  layout: FeatureLayout,
  labels: Int32Array,
  classes: number,
  options: TrainOptions = {},
): Promise<TrainedHead> {
  const o = { ...TRAIN_DEFAULTS, ...options };
  const config = options.head ?? LINEAR_HEAD;
  const levels = [...(options.levels ?? DEFAULT_LEVELS.filter((l) => layout.blocks.some((b) => b.level === l)))];
  if (!labels.some((y) => y >= 0)) throw new Error('no labelled superpixels to train on');
  options.signal?.throwIfAborted();

  const standardization = options.standardization ?? (await fitStandardization(features, layout));
  const headInput = (rows: tf.Tensor2D) => tf.tidy(() => tf.mul(standardize(rows, standardization), tf.tensor1d(levelMask(layout, levels))) as tf.Tensor2D);
  const exact = config.hidden.length === 0 && o.levelDropout === 0 && o.solver === 'optimum';
  if (exact && labelledRows(labels, o.exampleWeights).rows.length <= OPTIMUM_MAX_ROWS) {
    const head = await solveLinearHead(features, headInput, classes, o, labels);
    if (options.signal?.aborted) head.dispose();
    options.signal?.throwIfAborted();
    return { head, layout, standardization, levels, solvedClasses: [...new Set(labelledRows(labels, o.exampleWeights).ys)] };
  }
  const inputs = headInput(features);
  try {
    // Not from an optimum whose bias is pinned for a class labelled since: Adam would need ~5·10⁴ steps to lift it.
    const solved = options.warmStart?.solvedClasses;
    const pinned = solved !== undefined && labels.some((y) => y >= 0 && !solved.includes(y));
    const warm = pinned ? undefined : options.warmStart?.head;
    const head = warm?.fits(config, layout.width, classes) ? warm.clone() : ClassifierHead.create(config, layout.width, classes, o.seed);
    try {
      await fitHead({ head, inputs, classes, layout, levels, options: o }, labels);
    } catch (err) {
      head.dispose();
      throw err;
    }
    return { head, layout, standardization, levels };
  } finally {
    inputs.dispose();
  }
}

/** The rows with a label ≥ 0 and a positive weight: their indices, classes and weights. */
function labelledRows(labels: Int32Array, exampleWeights: Float32Array | undefined): { rows: number[]; ys: number[]; ws: number[] } {
  const rows: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  labels.forEach((y, s) => {
    const w = exampleWeights ? exampleWeights[s] : 1;
    if (y < 0 || !(w > 0)) return;
    rows.push(s);
    ys.push(y);
    ws.push(w);
  });
  if (rows.length === 0) throw new Error('no labelled superpixels to train on');
  return { rows, ys, ws };
}

/** A class nobody labelled: its bias, unpenalized, goes to −∞ at the optimum; this is that limit in float32. */
const ABSENT_CLASS_BIAS = -1e4;

/**
 * The linear head at the optimum of eq. 3.3.1 + λ‖W‖², W = XᵀA from the N×N Gram matrix of the labelled rows
 * (only those rows are standardized: `headInput` of raw feature rows). Solved over the classes present in the
 * labels only (a click labels two or three of 21): the others' bias tends to −∞ and their weights to 0, so
 * they get exactly that, and the solve is K/present times smaller.
 */
async function solveLinearHead(
  features: tf.Tensor2D,
  headInput: (rows: tf.Tensor2D) => tf.Tensor2D,
  classes: number,
  o: typeof TRAIN_DEFAULTS & TrainOptions,
  labels: Int32Array,
): Promise<ClassifierHead> {
  const { rows, ys, ws } = labelledRows(labels, o.exampleWeights);
  const classWeights = inverseClassFrequencyWeights(ys, classes, ws);
  const present = [...new Set(ys)].sort((a, b) => a - b);
  const compact = new Map(present.map((c, i) => [c, i]));
  const x = tf.tidy(() => headInput(tf.gather(features, tf.tensor1d(rows, 'int32'))));
  try {
    const gramT = tf.matMul(x, x, false, true);
    const gram = Float64Array.from((await gramT.data()) as Float32Array);
    gramT.dispose();
    let iteration = 0;
    const solution = solveDualSoftmax(
      {
        gram,
        labels: Int32Array.from(ys, (y) => compact.get(y)!),
        weights: Float64Array.from(ys, (y, i) => classWeights[y] * ws[i]),
        classes: present.length,
        lambda: o.weightDecay,
      },
      { onIteration: o.onProgress && ((loss) => o.onProgress!({ epoch: ++iteration, epochs: 0, loss })) },
    );
    // Columns of A (N × present) spread to the full class count, zero for absent classes.
    const alpha = new Float32Array(rows.length * classes);
    for (let i = 0; i < rows.length; i++) present.forEach((c, j) => (alpha[i * classes + c] = solution.alpha[i * present.length + j]));
    const bias = new Float32Array(classes).fill(ABSENT_CLASS_BIAS);
    present.forEach((c, j) => (bias[c] = solution.bias[j]));
    const kernelT = tf.tidy(() => tf.matMul(x, tf.tensor2d(alpha, [rows.length, classes]), true, false));
    const kernel = (await kernelT.data()) as Float32Array;
    kernelT.dispose();
    return ClassifierHead.fromWeights(LINEAR_HEAD, features.shape[1], classes, [{ kernel, bias }]);
  } finally {
    x.dispose();
  }
}

interface Fit {
  head: ClassifierHead;
  /** [superpixels, width] head inputs. */
  inputs: tf.Tensor2D;
  classes: number;
  layout: FeatureLayout;
  levels: readonly LevelId[];
  options: typeof TRAIN_DEFAULTS & TrainOptions;
}

/** Full-batch Adam on the rows with labels ≥ 0. */
async function fitHead(f: Fit, labels: Int32Array): Promise<void> {
  const { head, options: o } = f;
  const { rows, ys, ws } = labelledRows(labels, o.exampleWeights);
  const x = tf.tidy(() => tf.gather(f.inputs, tf.tensor1d(rows, 'int32')));
  const y = tf.tensor1d(ys, 'int32');
  const classWeights = tf.tensor1d(inverseClassFrequencyWeights(ys, f.classes, ws));
  const exampleWeights = o.exampleWeights ? tf.tensor1d(ws) : undefined;
  const dropout = o.levelDropout > 0 ? levelDropout(f.layout, f.levels, rows.length, o.levelDropout, o.seed) : undefined;
  const optimizer = tf.train.adam(o.learningRate);
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const loss = optimizer.minimize(() => {
        const input = dropout ? tf.mul(x, dropout()) : x;
        const penalty = tf.addN(head.kernels().map((k) => tf.sum(tf.square(k))));
        return tf.add(asymmetricLogLoss(head.logits(input as tf.Tensor2D, true), y, classWeights, exampleWeights), tf.mul(o.weightDecay, penalty));
      }, o.onProgress !== undefined, head.variables());
      if (loss) {
        o.onProgress?.({ epoch, epochs: o.epochs, loss: (await loss.data())[0] });
        loss.dispose();
      }
      if (epoch % YIELD_EVERY === 0 && o.signal) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        o.signal.throwIfAborted();
      }
    }
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, classWeights, ...(exampleWeights ? [exampleWeights] : [])]);
  }
}

/** A sampler of [rows, width] 0/1 masks hiding whole levels at random, never all of a row's levels. */
function levelDropout(layout: FeatureLayout, levels: readonly LevelId[], rows: number, rate: number, seed: number): () => tf.Tensor2D {
  const random = seededRandom(seed);
  const columnLevel = new Int32Array(layout.width).fill(levels.length);
  for (const b of layout.blocks) {
    const l = levels.indexOf(b.level);
    if (l >= 0) columnLevel.fill(l, b.start, b.end);
  }
  return () =>
    tf.tidy(() => {
      // One extra, always-zero level for columns outside `levels`.
      const keep = new Float32Array(rows * (levels.length + 1));
      for (let r = 0; r < rows; r++) {
        const forced = Math.floor(random() * levels.length);
        for (let l = 0; l < levels.length; l++) keep[r * (levels.length + 1) + l] = l === forced || random() >= rate ? 1 : 0;
      }
      return tf.gather(tf.tensor2d(keep, [rows, levels.length + 1]), tf.tensor1d(columnLevel, 'int32'), 1) as tf.Tensor2D;
    });
}
