// Thesis §3.4.3: superpixel classifiers over zoom-out features — a linear softmax (Table 3.4) or an MLP
// (two hidden layers of 1024, ReLU, dropout). With a handful of clicks the linear head wins (findings.md).
import * as tf from '@tensorflow/tfjs';
import type { LevelId } from './backboneManifest.ts';
import { standardize, type FeatureLayout, type Standardization } from './zoomoutFeatures.ts';

export interface HeadConfig {
  /** Hidden layer widths; [] is the linear softmax. */
  hidden: number[];
  /** Dropout rate on hidden activations while training. */
  dropout: number;
}

export const LINEAR_HEAD: HeadConfig = { hidden: [], dropout: 0 };
export const THESIS_MLP: HeadConfig = { hidden: [1024, 1024], dropout: 0.5 };

export interface DenseWeights {
  kernel: Float32Array;
  bias: Float32Array;
}

interface DenseLayer {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** A layer's variables; tidy drops the initial values, which tf.variable copies. */
function variables(kernel: () => tf.Tensor, bias: () => tf.Tensor): DenseLayer {
  return tf.tidy(() => ({ kernel: tf.variable(kernel()), bias: tf.variable(bias()) }));
}

export class ClassifierHead {
  private constructor(
    readonly config: HeadConfig,
    readonly inputDim: number,
    readonly classes: number,
    private readonly layers: DenseLayer[],
  ) {}

  private static widths(config: HeadConfig, inputDim: number, classes: number): number[] {
    return [inputDim, ...config.hidden, classes];
  }

  /** Glorot-uniform kernels, zero biases. */
  static create(config: HeadConfig, inputDim: number, classes: number, seed = 1): ClassifierHead {
    const w = ClassifierHead.widths(config, inputDim, classes);
    const layers = w.slice(1).map((out, i) => {
      const limit = Math.sqrt(6 / (w[i] + out));
      return variables(() => tf.randomUniform([w[i], out], -limit, limit, 'float32', seed + i), () => tf.zeros([out]));
    });
    return new ClassifierHead(config, inputDim, classes, layers);
  }

  static fromWeights(config: HeadConfig, inputDim: number, classes: number, weights: DenseWeights[]): ClassifierHead {
    const w = ClassifierHead.widths(config, inputDim, classes);
    if (weights.length !== w.length - 1) throw new Error(`head needs ${w.length - 1} layers, got ${weights.length}`);
    const layers = weights.map((l, i) => variables(() => tf.tensor2d(l.kernel, [w[i], w[i + 1]]), () => tf.tensor1d(l.bias)));
    return new ClassifierHead(config, inputDim, classes, layers);
  }

  fits(config: HeadConfig, inputDim: number, classes: number): boolean {
    return this.inputDim === inputDim && this.classes === classes && this.config.hidden.join() === config.hidden.join();
  }

  clone(): ClassifierHead {
    const layers = this.layers.map((l) => variables(() => l.kernel.clone(), () => l.bias.clone()));
    return new ClassifierHead(this.config, this.inputDim, this.classes, layers);
  }

  variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.kernel, l.bias]);
  }

  kernels(): tf.Variable[] {
    return this.layers.map((l) => l.kernel);
  }

  logits(x: tf.Tensor2D, training = false): tf.Tensor2D {
    return tf.tidy(() => {
      let h: tf.Tensor2D = x;
      this.layers.forEach((l, i) => {
        h = tf.add(tf.matMul(h, l.kernel as tf.Tensor2D), l.bias) as tf.Tensor2D;
        if (i < this.layers.length - 1) {
          h = tf.relu(h);
          if (training && this.config.dropout > 0) h = tf.dropout(h, this.config.dropout) as tf.Tensor2D;
        }
      });
      return h;
    });
  }

  /** The first layer's kernel and bias (pixel mode folds standardization into them, pixelHead.ts). */
  firstLayer(): { kernel: tf.Tensor2D; bias: tf.Tensor1D } {
    return { kernel: this.layers[0].kernel as tf.Tensor2D, bias: this.layers[0].bias as tf.Tensor1D };
  }

  /** Logits from the first layer's pre-activations (`x · kernel + bias`, computed by the caller). */
  logitsAfterFirstLayer(first: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = first;
      for (const l of this.layers.slice(1)) h = tf.add(tf.matMul(tf.relu(h), l.kernel as tf.Tensor2D), l.bias) as tf.Tensor2D;
      return h;
    });
  }

  async weights(): Promise<DenseWeights[]> {
    return Promise.all(this.layers.map(async (l) => ({ kernel: (await l.kernel.data()) as Float32Array, bias: (await l.bias.data()) as Float32Array })));
  }

  dispose(): void {
    tf.dispose(this.variables());
  }
}

/** A head with everything needed to apply it to a photo's raw zoom-out features. */
export interface TrainedHead {
  head: ClassifierHead;
  layout: FeatureLayout;
  standardization: Standardization;
  /** The levels it was trained on; other levels' columns are zeroed. */
  levels: LevelId[];
  /** Solved to the optimum over these classes only: the others' bias is pinned at its −∞ limit. */
  solvedClasses?: number[];
}

/** 1 for columns of `levels`, 0 elsewhere. */
export function levelMask(layout: FeatureLayout, levels: readonly LevelId[]): Float32Array {
  const mask = new Float32Array(layout.width);
  for (const b of layout.blocks) if (levels.includes(b.level)) mask.fill(1, b.start, b.end);
  return mask;
}

/** Raw features → the head's input: standardized, with columns outside `levels` zeroed. */
export function headInputs(model: TrainedHead, features: tf.Tensor2D, levels: readonly LevelId[] = model.levels): tf.Tensor2D {
  if (features.shape[1] !== model.layout.width) throw new Error(`features have ${features.shape[1]} columns, the head expects ${model.layout.width}`);
  return tf.tidy(() => tf.mul(standardize(features, model.standardization), tf.tensor1d(levelMask(model.layout, levels))));
}

export interface Prediction {
  /** Best class per superpixel. */
  classes: Int32Array;
  /** [superpixels × classes] row-major. */
  probabilities: Float32Array;
  /** Probability of the best class. */
  confidence: Float32Array;
}

/** Class probabilities per superpixel, read back once. */
export async function predictProbabilities(model: TrainedHead, features: tf.Tensor2D, levels?: readonly LevelId[]): Promise<Float32Array> {
  const p = tf.tidy(() => tf.softmax(model.head.logits(headInputs(model, features, levels))));
  const values = (await p.data()) as Float32Array;
  p.dispose();
  return values;
}

/** Arg-max and its probability per row of an [n × classes] probability array. */
export function decide(probabilities: Float32Array, classes: number): Prediction {
  const n = probabilities.length / classes;
  const best = new Int32Array(n);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c] > probabilities[i * classes + b]) b = c;
    best[i] = b;
    confidence[i] = probabilities[i * classes + b];
  }
  return { classes: best, probabilities, confidence };
}
