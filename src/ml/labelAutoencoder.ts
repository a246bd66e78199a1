// The label autoencoder of thesis §5.3.1: a label map in, the same label map out, through a bottleneck at 1/16
// of the working size. Encoder: five 3×3 convolutions with 2×2 max pooling between them; decoder mirrored,
// each 2× (nearest) upsampling followed by a 3×3 convolution; softmax over the classes. No skip connections.
import * as tf from '@tensorflow/tfjs';
import { fillVoidNearest } from '../core/fillVoid.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import { IGNORE_LABEL } from '../core/types.ts';
import { conv3x3 } from './conv3x3.ts';

/** Encoder channels of the thesis's three variants, named by their bottleneck; the decoder runs them in reverse. */
export const LABEL_AE_VARIANTS = {
  32: [32, 32, 32, 32, 32],
  128: [32, 128, 128, 128, 128],
  256: [32, 128, 128, 128, 256],
} as const;
export type LabelAeVariant = keyof typeof LABEL_AE_VARIANTS;

export interface LabelAeConfig {
  variant: LabelAeVariant;
  /** Classes of the label maps (21 for PASCAL VOC: background and 20 objects). */
  classes: number;
  /** Side of the square working resolution; a multiple of 16 (four poolings). */
  size: number;
}

/**
 * 96×96 (bottleneck 6×6): nearest down- and up-sampling alone keeps 97.2 mIoU of VOC maps at their original
 * size (95.9 at 64, 97.8 at 128; docs/labelAutoencoder.md), and 128 costs 1.8× as much per training map, which
 * the training budget (about half an hour on a shared CPU) could not pay.
 */
export const LABEL_AE_SIZE = 96;

/** A label map: class index per pixel, row-major; 255 is void. */
export interface ClassMap {
  width: number;
  height: number;
  classes: Uint8Array;
}

const LAYERS = 5;

function layerShapes(config: LabelAeConfig): { name: string; from: number; to: number }[] {
  const c = LABEL_AE_VARIANTS[config.variant];
  const encoder = c.map((to, i) => ({ name: `enc${i + 1}`, from: i === 0 ? config.classes : c[i - 1], to }));
  const decoder = c.map((_, i) => {
    const from = c[LAYERS - 1 - i];
    return { name: `dec${i + 1}`, from, to: i === LAYERS - 1 ? config.classes : c[LAYERS - 2 - i] };
  });
  return [...encoder, ...decoder];
}

export class LabelAutoencoder {
  private constructor(
    readonly config: LabelAeConfig,
    /** enc1…enc5, dec1…dec5: kernels [3, 3, in, out] and biases [out]. */
    private readonly kernels: tf.Tensor4D[],
    private readonly biases: tf.Tensor1D[],
  ) {}

  /** Trainable, He-initialised from `seed`. */
  static create(config: LabelAeConfig, seed: number): LabelAutoencoder {
    if (config.size % 16 !== 0) throw new RangeError(`the working size must be a multiple of 16, got ${config.size}`);
    const shapes = layerShapes(config);
    // Tidy frees the initial values, which tf.variable copies; variables outlive it.
    const [kernels, biases] = tf.tidy(() => [
      shapes.map((s, i) => tf.variable(tf.randomNormal([3, 3, s.from, s.to], 0, Math.sqrt(2 / (9 * s.from)), 'float32', seed + i), true, `${s.name}/kernel`) as tf.Variable<tf.Rank.R4>),
      shapes.map((s) => tf.variable(tf.zeros([s.to]), true, `${s.name}/bias`) as tf.Variable<tf.Rank.R1>),
    ]);
    return new LabelAutoencoder(config, kernels, biases);
  }

  /** From `weights()`'s tensors (taken over: disposed with the model); `trainable` copies them into variables. */
  static fromWeights(config: LabelAeConfig, weights: tf.NamedTensorMap, trainable = false): LabelAutoencoder {
    const shapes = layerShapes(config);
    const take = <T extends tf.Tensor>(name: string, shape: number[]): T => {
      const t = weights[name];
      if (!t || t.shape.join() !== shape.join()) throw new Error(`label autoencoder weight ${name} is missing or not ${shape.join('×')}`);
      if (!trainable) return t as T;
      const v = tf.variable(t, true, name);
      t.dispose();
      return v as unknown as T;
    };
    return new LabelAutoencoder(
      config,
      shapes.map((s) => take<tf.Tensor4D>(`${s.name}/kernel`, [3, 3, s.from, s.to])),
      shapes.map((s) => take<tf.Tensor1D>(`${s.name}/bias`, [s.to])),
    );
  }

  /** The weights by name (`enc1/kernel`, …), for tf.io.encodeWeights; still owned by the model. */
  weights(): tf.NamedTensorMap {
    const names = layerShapes(this.config).map((s) => s.name);
    return Object.fromEntries(names.flatMap((n, i) => [[`${n}/kernel`, this.kernels[i]], [`${n}/bias`, this.biases[i]]]));
  }

  trainableVariables(): tf.Variable[] {
    return [...this.kernels, ...this.biases].filter((t: tf.Tensor) => t instanceof tf.Variable) as tf.Variable[];
  }

  /** One-hot maps [b, size, size, classes] → codes [b, size/16, size/16, c5] (linear: no ReLU on the code). */
  encode(oneHot: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = oneHot;
      for (let i = 0; i < LAYERS; i++) {
        h = tf.add(conv3x3(h, this.kernels[i], i === 0), this.biases[i]);
        if (i < LAYERS - 1) h = tf.maxPool(tf.relu(h), 2, 2, 'valid');
      }
      return h;
    });
  }

  /** Codes → per-pixel class logits [b, size, size, classes] (softmax of them: `reconstruct`). */
  decodeLogits(code: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = code;
      for (let i = LAYERS; i < 2 * LAYERS; i++) {
        if (i > LAYERS) h = tf.image.resizeNearestNeighbor(h, [h.shape[1] * 2, h.shape[2] * 2]);
        h = tf.add(conv3x3(h, this.kernels[i]), this.biases[i]);
        if (i < 2 * LAYERS - 1) h = tf.relu(h);
      }
      return h;
    });
  }

  /** Codes → class probabilities [b, size, size, classes]. */
  decode(code: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => tf.softmax(this.decodeLogits(code)));
  }

  /** One-hot maps → reconstructed class probabilities. */
  reconstruct(oneHot: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.decode(this.encode(oneHot)));
  }

  dispose(): void {
    tf.dispose([...this.kernels, ...this.biases]);
  }

  tensors(): number {
    return this.kernels.length + this.biases.length;
  }
}

/** The autoencoder's view of a map: nearest-resized to size×size (stretched, aspect not kept), void filled. */
export function toWorkingSize(map: ClassMap, size: number): Uint8Array {
  return fillVoidNearest(resizeNearest(map.classes, map.width, map.height, size, size), size, size);
}

/** Working-size maps (no void) → the one-hot batch [b, size, size, classes]. */
export function oneHotBatch(maps: readonly Uint8Array[], size: number, classes: number): tf.Tensor4D {
  const flat = new Int32Array(maps.length * size * size);
  maps.forEach((m, i) => flat.set(m, i * size * size));
  for (const v of flat) if (v >= classes) throw new RangeError(`class index ${v} outside 0..${classes - 1}`);
  return tf.tidy(() => tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(flat, 'int32'), classes), 'float32'), [maps.length, size, size, classes]));
}

/**
 * A label map passed through the autoencoder, back at its own size: what the label model thinks the map
 * should be (the studio's label-space view, `cli label-ae`). Void pixels get a class like any other.
 */
export async function reconstructClassMap(ae: LabelAutoencoder, map: ClassMap): Promise<Uint8Array> {
  const { size, classes } = ae.config;
  for (const v of map.classes) if (v >= classes && v !== IGNORE_LABEL) throw new RangeError(`class index ${v} outside 0..${classes - 1} (255 is void)`);
  const predicted = tf.tidy(() => tf.argMax(ae.decodeLogits(ae.encode(oneHotBatch([toWorkingSize(map, size)], size, classes))), 3));
  const small = Uint8Array.from(await predicted.data());
  predicted.dispose();
  return resizeNearest(small, size, size, map.width, map.height);
}
