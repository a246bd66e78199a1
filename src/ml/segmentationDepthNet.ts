// Depth from a semantic segmentation alone (thesis §5.5, Table 5.5 "Seg" input): a small encoder–decoder over
// the one-hot map of the depth classes (NYUv2's 13 indoor, six outdoor; core/labelSets.ts) predicts log depth.
// Two coordinate channels (row, column) go in with the classes, since a convolution cannot otherwise tell the
// bottom of the frame (floor near) from its top; a global-context vector (mean of the deepest features) is added
// back, since depth depends on the whole layout.
// Trained with the scale-invariant log error of Eigen et al. (2014), as one photo fixes depth only up to scale.
import * as tf from '@tensorflow/tfjs';
import { DEPTH_CLASSES } from '../core/labelSets.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import { conv3x3 } from './conv3x3.ts';

/** The working resolution: NYUv2's 4:3 at 1/10. */
export const SEG_DEPTH_SIZE = { width: 64, height: 48 };
const CLASSES = DEPTH_CLASSES.length;
const INPUTS = CLASSES + 2;

const CONVS = [
  { name: 'enc1', from: INPUTS, to: 32 },
  { name: 'enc2', from: 32, to: 48 },
  { name: 'enc3', from: 48, to: 64 },
  { name: 'enc4', from: 64, to: 64 },
  { name: 'dec3', from: 64 + 64, to: 48 },
  { name: 'dec2', from: 48 + 48, to: 32 },
  { name: 'dec1', from: 32 + 32, to: 16 },
] as const;
const DENSE = [
  { name: 'context', from: 64, to: 64 },
  { name: 'out', from: 16, to: 1 },
] as const;

function shapes(): { name: string; shape: number[] }[] {
  return [
    ...CONVS.flatMap((c) => [
      { name: `${c.name}/kernel`, shape: [3, 3, c.from, c.to] },
      { name: `${c.name}/bias`, shape: [c.to] },
    ]),
    ...DENSE.flatMap((d) => [
      { name: `${d.name}/kernel`, shape: [d.from, d.to] },
      { name: `${d.name}/bias`, shape: [d.to] },
    ]),
  ];
}

export class SegmentationDepthNet {
  private constructor(private readonly params: Record<string, tf.Tensor>) {}

  static create(seed: number): SegmentationDepthNet {
    const params = tf.tidy(() =>
      Object.fromEntries(
        shapes().map(({ name, shape }, i) => {
          const fanIn = shape.length === 4 ? 9 * shape[2] : shape[0];
          const init = name.endsWith('/bias') ? tf.zeros(shape) : tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed + i);
          return [name, tf.variable(init, true, name)];
        }),
      ),
    );
    return new SegmentationDepthNet(params);
  }

  /** From `weights()`'s tensors (taken over: disposed with the net); `trainable` copies them into variables. */
  static fromWeights(weights: tf.NamedTensorMap, trainable = false): SegmentationDepthNet {
    const params: Record<string, tf.Tensor> = {};
    for (const { name, shape } of shapes()) {
      const t = weights[name];
      if (!t || t.shape.join() !== shape.join()) throw new Error(`segmentation-depth weight ${name} is missing or not ${shape.join('×')}`);
      params[name] = trainable ? tf.variable(t, true, name) : t;
      if (trainable) t.dispose();
    }
    return new SegmentationDepthNet(params);
  }

  weights(): tf.NamedTensorMap {
    return { ...this.params };
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.params).filter((t) => t instanceof tf.Variable) as tf.Variable[];
  }

  private conv(name: string, x: tf.Tensor4D, constantInput = false): tf.Tensor4D {
    return tf.relu(tf.add(conv3x3(x, this.params[`${name}/kernel`] as tf.Tensor4D, constantInput), this.params[`${name}/bias`]) as tf.Tensor4D);
  }

  /** Inputs [b, 48, 64, classes + 2] (`segmentationDepthInput`) → log metres [b, 48, 64]. */
  logDepth(input: tf.Tensor4D): tf.Tensor3D {
    return tf.tidy(() => {
      const up = (x: tf.Tensor4D) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
      const e1 = this.conv('enc1', input, true);
      const e2 = this.conv('enc2', tf.maxPool(e1, 2, 2, 'valid'));
      const e3 = this.conv('enc3', tf.maxPool(e2, 2, 2, 'valid'));
      let e4 = this.conv('enc4', tf.maxPool(e3, 2, 2, 'valid'));
      const context = tf.relu(tf.add(tf.matMul(tf.mean(e4, [1, 2]), this.params['context/kernel'] as tf.Tensor2D), this.params['context/bias']));
      e4 = tf.add(e4, tf.reshape(context, [-1, 1, 1, 64]));
      const d3 = this.conv('dec3', tf.concat([up(e4), e3], 3));
      const d2 = this.conv('dec2', tf.concat([up(d3), e2], 3));
      const d1 = this.conv('dec1', tf.concat([up(d2), e1], 3));
      const [b, h, w] = d1.shape;
      const out = tf.add(tf.matMul(tf.reshape(d1, [b * h * w, 16]), this.params['out/kernel'] as tf.Tensor2D), this.params['out/bias']);
      return tf.reshape(out, [b, h, w]);
    });
  }

  dispose(): void {
    tf.dispose(Object.values(this.params));
  }

  tensors(): number {
    return Object.keys(this.params).length;
  }
}

/** Depth-class label maps (0 unlabelled, 1..19) at the working size → the net's input: one-hot classes, row and column in [−1, 1]. */
export function segmentationDepthInput(maps: readonly Uint8Array[]): tf.Tensor4D {
  const { width, height } = SEG_DEPTH_SIZE;
  const data = new Float32Array(maps.length * width * height * INPUTS);
  maps.forEach((map, b) => {
    for (let i = 0; i < width * height; i++) {
      const at = (b * width * height + i) * INPUTS;
      const c = map[i];
      if (c >= 1 && c <= CLASSES) data[at + c - 1] = 1;
      data[at + CLASSES] = ((Math.floor(i / width) + 0.5) / height) * 2 - 1;
      data[at + CLASSES + 1] = (((i % width) + 0.5) / width) * 2 - 1;
    }
  });
  return tf.tensor4d(data, [maps.length, height, width, INPUTS]);
}

/**
 * Eigen et al.'s scale-invariant log error, mean over images: with d = predicted − true log depth over an image's
 * n pixels, mean(d²) − λ·mean(d)². λ = 1 ignores scale entirely; ½ (theirs) still learns a typical scale.
 */
export function scaleInvariantLoss(predicted: tf.Tensor3D, trueLog: tf.Tensor3D, lambda = 0.5): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.sub(predicted, trueLog);
    const perImage = tf.sub(tf.mean(tf.square(d), [1, 2]), tf.mul(lambda, tf.square(tf.mean(d, [1, 2]))));
    return tf.mean(perImage) as tf.Scalar;
  });
}

/** A label map of any size → depth in metres at that size (nearest down to the working size, bilinear back up). */
export function depthFromLabelMap(net: SegmentationDepthNet, map: { width: number; height: number; classes: Uint8Array }): Float32Array {
  const { width, height } = SEG_DEPTH_SIZE;
  const small = resizeNearest(map.classes, map.width, map.height, width, height);
  const metres = tf.tidy(() => {
    const logDepth = net.logDepth(segmentationDepthInput([small]));
    return tf.exp(tf.image.resizeBilinear(tf.reshape(logDepth, [1, height, width, 1]) as tf.Tensor4D, [map.height, map.width], true));
  });
  // Read outside tidy: tidy walks whatever it returns for tensors, element by element for a typed array (0.2 s here).
  const values = metres.dataSync() as Float32Array;
  metres.dispose();
  return values;
}
