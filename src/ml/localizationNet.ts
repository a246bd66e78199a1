// Thesis §4.3.1, eqs. 4.3.1–4.3.2: localization maps learned from image-level tags. Per foreground class, a net on
// the zoom-out features (1×1 conv, 1024 units → ReLU → 1×1 conv, 2 outputs S and S̄; on superpixel rows that is an
// MLP per row) trained with a multiple-instance loss on photos tagged with and without the class: the global
// softmax of eq. 4.3.2 (the thesis's choice, Table 4.1) or the per-pixel softmax of eq. 4.3.1. Its map S(i, c) is
// the other source of `Localization` beside the detector (detectorLocalization.ts), sampled the same way.
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../core/clickProtocol.ts';
import type { LevelId } from './backboneManifest.ts';
import { ClassifierHead } from './classifierHead.ts';
import type { Localization } from './detectorLocalization.ts';
import { fitStandardization, levelColumns, standardize, type FeatureLayout, type Standardization } from './zoomoutFeatures.ts';

/** 'global': eq. 4.3.2, max-pool S and S̄ separately, then softmax; 'pixel': eq. 4.3.1, softmax per location, then max. */
export type MilPooling = 'global' | 'pixel';

export interface LocalizationOptions {
  pooling: MilPooling;
  /** Units of the hidden 1×1 layer (thesis: 1024). */
  hidden: number;
  /**
   * The backbone's conv levels only: the thesis found that global features (its fc7; our S1, S2) make localization
   * worse, presence being then too easy to tell without looking anywhere in particular. H (the COCO detector's
   * head) is left out too: it doubles the cost and held-out person ranking fell from 0.56 to 0.45 AUC with it.
   */
  levels: readonly LevelId[];
  /** Passes over each class's photos, one Adam step per photo (the thesis's batch of one image). */
  epochs: number;
  learningRate: number;
  weightDecay: number;
  /** A location whose own probability (see `locationProbabilities`) is below this is off the class's map. */
  threshold: number;
  seed: number;
  /** After each epoch of each class: the mean image-level loss over its photos. */
  onProgress?: (p: { classIndex: number; epoch: number; epochs: number; loss: number }) => void;
  /** Awaited between epochs (default: one macrotask): a worker runs the requests waiting meanwhile. */
  betweenEpochs?: () => Promise<void>;
}

/** The thesis's net and loss; Adam stands in for its SGD with momentum on far fewer photos (docs/weak.md). */
export const LOCALIZATION_DEFAULTS: LocalizationOptions = {
  pooling: 'global',
  hidden: 1024,
  levels: ['L1', 'L2', 'L3', 'L4', 'L5'],
  epochs: 5,
  learningRate: 1e-3,
  weightDecay: 1e-4,
  threshold: 0.5,
  seed: 1,
};

/**
 * The image-level log loss of one photo from its [n × 2] scores (S, S̄) and its tag. Both models reduce to a
 * logistic loss on one difference: eq. 4.3.2's p = e^{max S} / (e^{max S} + e^{max S̄}) = σ(max S − max S̄), and
 * eq. 4.3.1's p = max σ(S − S̄) = σ(max (S − S̄)) since σ is increasing; −log σ(x) = softplus(−x).
 */
export function milLoss(scores: tf.Tensor2D, positive: boolean, pooling: MilPooling): tf.Scalar {
  return tf.tidy(() => {
    const [s, sBar] = tf.split(scores, 2, 1);
    const margin = pooling === 'global' ? tf.sub(tf.max(s), tf.max(sBar)) : tf.max(tf.sub(s, sBar));
    return tf.softplus(positive ? tf.neg(margin) : margin) as tf.Scalar;
  });
}

/**
 * Per location, the probability the model gives the photo when only that location may be the foreground: for
 * eq. 4.3.2 σ(S_i − max S̄), for eq. 4.3.1 σ(S_i − S̄_i). Either way its maximum over the photo is p(c).
 */
export function locationProbabilities(scores: tf.Tensor2D, pooling: MilPooling): tf.Tensor1D {
  return tf.tidy(() => {
    const [s, sBar] = tf.split(scores, 2, 1);
    return tf.sigmoid(tf.sub(s, pooling === 'global' ? tf.max(sBar) : sBar)).reshape([-1]) as tf.Tensor1D;
  });
}

export interface TaggedPhoto {
  /** Raw zoom-out features [superpixels × layout.width]. */
  features: tf.Tensor2D;
  /** Label-set class indices the photo is tagged with. */
  tags: ReadonlySet<number>;
}

/** One net per trained class, with what turns a photo's raw features into their input. */
export class LocalizationNets {
  constructor(
    readonly nets: ReadonlyMap<number, ClassifierHead>,
    readonly classes: number,
    readonly standardization: Standardization,
    readonly columns: Int32Array,
    readonly options: LocalizationOptions,
  ) {}

  /** Standardized as the training set was, restricted to the nets' levels. */
  inputs(features: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.gather(standardize(features, this.standardization), tf.tensor1d(this.columns, 'int32'), 1) as tf.Tensor2D);
  }

  dispose(): void {
    for (const net of this.nets.values()) net.dispose();
  }
}

/**
 * Trains a net for each of `classes` (label-set indices, not background) on every photo tagged with it and as many
 * photos without it, drawn at random (thesis §4.4.1); a class no photo is tagged with, or every photo is, gets no
 * net. Standardization is fitted over all the photos' superpixels together, as the engine does for several photos.
 */
export async function trainLocalizationNets(
  photos: readonly TaggedPhoto[],
  layout: FeatureLayout,
  classCount: number,
  classes: readonly number[],
  options: Partial<LocalizationOptions> = {},
): Promise<LocalizationNets> {
  const o = { ...LOCALIZATION_DEFAULTS, ...options };
  if (photos.length === 0) throw new Error('no tagged photos to learn localization from');
  const columns = Int32Array.from(levelColumns(layout, o.levels));
  if (columns.length === 0) throw new Error(`the features have none of the levels ${o.levels.join(', ')}`);
  const all = photos.length === 1 ? photos[0].features : tf.concat(photos.map((p) => p.features));
  const standardization = await fitStandardization(all, layout);
  if (photos.length > 1) all.dispose();
  const nets = new Map<number, ClassifierHead>();
  const result = new LocalizationNets(nets, classCount, standardization, columns, o);
  const inputs = photos.map((p) => result.inputs(p.features));
  try {
    for (const c of classes) {
      const positives = photos.flatMap((p, i) => (p.tags.has(c) ? [i] : []));
      const negatives = photos.flatMap((p, i) => (p.tags.has(c) ? [] : [i]));
      if (positives.length === 0 || negatives.length === 0) continue;
      const random = seededRandom(o.seed * 1009 + c);
      const chosen = [...positives, ...shuffle(negatives, random).slice(0, positives.length)];
      const net = ClassifierHead.create({ hidden: [o.hidden], dropout: 0 }, columns.length, 2, o.seed + 17 * c);
      nets.set(c, net);
      await fitNet(net, chosen.map((i) => ({ x: inputs[i], positive: photos[i].tags.has(c) })), o, random, c);
    }
  } catch (err) {
    result.dispose();
    throw err;
  } finally {
    tf.dispose(inputs);
  }
  return result;
}

async function fitNet(net: ClassifierHead, examples: { x: tf.Tensor2D; positive: boolean }[], o: LocalizationOptions, random: () => number, classIndex: number): Promise<void> {
  const optimizer = tf.train.adam(o.learningRate);
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      let total = 0;
      for (const { x, positive } of shuffle(examples, random)) {
        const loss = optimizer.minimize(
          () => tf.add(milLoss(net.logits(x), positive, o.pooling), tf.mul(o.weightDecay, tf.addN(net.kernels().map((k) => tf.sum(tf.square(k)))))) as tf.Scalar,
          o.onProgress !== undefined,
          net.variables(),
        );
        if (loss) total += (await loss.data())[0];
        loss?.dispose();
      }
      o.onProgress?.({ classIndex, epoch: epoch + 1, epochs: o.epochs, loss: total / examples.length });
      // Let other work (a worker's messages, the CLI's progress) through between epochs.
      await (o.betweenEpochs?.() ?? new Promise((resolve) => setTimeout(resolve, 0)));
    }
  } finally {
    optimizer.dispose();
  }
}

/**
 * The tag-trained localization of a photo: S(i, c) = the location probability of class c where it reaches the
 * threshold, 0 elsewhere (so a class is sampled, and later allowed, only where its map is on, as with the
 * detector's boxes). A class is present where some location is on; with `tags`, only tagged classes can be.
 */
export async function tagLocalization(nets: LocalizationNets, features: tf.Tensor2D, tags?: ReadonlySet<number>): Promise<Localization> {
  const n = features.shape[0];
  const classes = nets.classes;
  const scores = new Float32Array(n * classes);
  const present: number[] = [];
  const x = nets.inputs(features);
  try {
    for (const [c, net] of [...nets.nets].sort((a, b) => a[0] - b[0])) {
      if (tags && !tags.has(c)) continue;
      const q = tf.tidy(() => locationProbabilities(net.logits(x), nets.options.pooling));
      const values = (await q.data()) as Float32Array;
      q.dispose();
      let on = false;
      for (let i = 0; i < n; i++) {
        if (values[i] < nets.options.threshold) continue;
        scores[i * classes + c] = values[i];
        on = true;
      }
      if (on) present.push(c);
    }
  } finally {
    x.dispose();
  }
  return { scores, classes, present };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
