// The trainable backbone (thesis §3.5) against the converted GraphModel, on a real COCO photo: the same taps
// and outputs, gradients that reach only the chosen blocks, and the kernels training needs per backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateClicks } from '../core/clickProtocol.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { sharedDataPath } from '../core/testData.ts';
import type { RgbaImage } from '../core/types.ts';
import { Backbone, disposeOutputs, type BackboneOutputs } from './backbone.ts';
import { loadBackboneFromDisk, loadTrainableBackboneFromDisk } from './loadFromDisk.ts';
import { readImageRgba } from './nodeImage.ts';
import { TRAINING_KERNELS, backboneBlocks, missingTrainingKernels, type TrainableBackbone } from './trainableBackbone.ts';

const PHOTO = '000000000139';
let image: RgbaImage;

beforeAll(async () => {
  image = await readImageRgba(sharedDataPath('coco-mini', 'images', `${PHOTO}.jpg`));
});

function outputList(o: BackboneOutputs): tf.Tensor[] {
  return [...o.taps, o.scene, o.keypoints, o.wh];
}

describe('trainable backbone vs the converted graph (wasm)', () => {
  let graph: Backbone;
  let trainable: TrainableBackbone;

  beforeAll(async () => {
    await tf.setBackend('wasm');
    graph = await loadBackboneFromDisk();
    trainable = await loadTrainableBackboneFromDisk('all');
  });

  afterAll(() => {
    graph.dispose();
    trainable.dispose();
  });

  it.each([
    [512, 512],
    [384, 288],
  ])('gives the graph’s every tap, scene vector and COCO head at %i×%i', (width, height) => {
    const x = Backbone.prepareInput(image, { width, height });
    const before = tf.memory().numTensors;
    const ref = graph.forward(x);
    const out = trainable.forward(x);
    const names = [...graph.manifest.taps.map((t) => t.node), 'scene', 'keypoints', 'wh'];
    const refs = outputList(ref);
    const diffs = outputList(out).map((t, i) => {
      expect(t.shape, names[i]).toEqual(refs[i].shape);
      return tf.tidy(() => [t.sub(refs[i]).abs().max().dataSync()[0], refs[i].abs().max().dataSync()[0]]);
    });
    console.log(`${width}×${height} max |diff| per output:`, Object.fromEntries(names.map((n, i) => [n, diffs[i][0]])));
    diffs.forEach(([diff, scale], i) => expect(diff, names[i]).toBeLessThanOrEqual(1e-5 * Math.max(1, scale)));
    disposeOutputs(ref);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('fine-tuning the top block (wasm, with the gradient kernels of wasmGradientKernels.ts)', () => {
  const SIDE = 64;
  const K = 21;
  const TAP = 'tower_0/CenternetHead/mul';
  let trainable: TrainableBackbone;
  let x: tf.Tensor4D;
  /** 1 where a click fell, 0 elsewhere. */
  let cells: tf.Tensor1D;
  let targets: tf.Tensor2D;
  let classifier: tf.Tensor2D;

  beforeAll(async () => {
    await tf.setBackend('wasm');
    trainable = await loadTrainableBackboneFromDisk('top');
    x = Backbone.prepareInput(image, { width: SIDE, height: SIDE });
    const gt = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', `${PHOTO}.png`))).values;
    const stride = trainable.manifest.taps.find((t) => t.node === TAP)!.stride;
    const clicks = simulateClicks(gt, image.width, image.height, 4, 3);
    const cell = (v: number, side: number) => Math.floor(((v + 0.5) / side) * (SIDE / stride));
    // Per cell of the tap, its clicked class (one-hot) and a weight of 1 where clicked: no gather, whose
    // gradient (UnsortedSegmentSum) wasm lacks; a dense weighted loss is what the training code does too.
    const grid = SIDE / stride;
    const classOf = new Int32Array(grid * grid).fill(-1);
    for (const c of clicks) classOf[cell(c.y, image.height) * grid + cell(c.x, image.width)] = c.classIndex;
    cells = tf.tensor1d(Array.from(classOf, (c) => (c < 0 ? 0 : 1)), 'float32');
    targets = tf.oneHot(tf.tensor1d(Array.from(classOf, (c) => Math.max(c, 0)), 'int32'), K).toFloat() as tf.Tensor2D;
    // A fixed 1×1-conv classifier: only the backbone learns, so every change is the backbone's.
    classifier = tf.randomNormal([trainable.manifest.taps.find((t) => t.node === TAP)!.channels, K], 0, 0.05, 'float32', 7);
  });

  afterAll(() => {
    trainable.dispose();
    tf.dispose([x, cells, targets, classifier]);
  });

  const loss = () =>
    tf.tidy(() => {
      const out = trainable.forward(x);
      const tap = out.taps[trainable.manifest.taps.findIndex((t) => t.node === TAP)];
      const logits = tap.reshape([-1, tap.shape[3]]).matMul(classifier);
      disposeOutputs(out);
      return tf.losses.softmaxCrossEntropy(targets, logits, cells) as tf.Scalar;
    });

  it('trains only the top block, lowers the loss and holds numTensors flat', () => {
    const blocks = backboneBlocks(trainable.manifest);
    expect(blocks).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'H']);
    const vars = trainable.variables();
    const trainableVars = new Set(trainable.trainableVariables());
    expect(trainableVars.size).toBeGreaterThan(0);
    expect(trainableVars.size).toBeLessThan(vars.size);
    const snapshot = () => new Map([...vars].map(([n, v]) => [n, v.dataSync().slice()]));
    const optimizer = tf.train.adam(1e-5);
    const step = () => {
      const cost = optimizer.minimize(loss, true, trainable.trainableVariables())!;
      const value = cost.dataSync()[0];
      cost.dispose();
      return value;
    };

    const before = snapshot();
    const losses = [step()];
    const after = snapshot();
    const changed = [...vars].filter(([n]) => after.get(n)!.some((v, i) => v !== before.get(n)![i])).map(([, v]) => v);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((v) => trainableVars.has(v))).toBe(true);

    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      losses.push(step());
      expect(tf.memory().numTensors).toBe(tensors);
    }
    console.log(`top block: ${changed.length}/${trainableVars.size} trainable variables changed (the rest do not reach ${TAP}); losses`, losses);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    optimizer.dispose();
  });

  it('freezes every block at none, and trains them all at all', () => {
    trainable.setFinetune('none');
    expect(trainable.trainableVariables()).toHaveLength(0);
    trainable.setFinetune('all');
    expect(trainable.trainableVariables()).toHaveLength(trainable.variables().size);
    trainable.setFinetune('top');
  });
});

/** Every trainable variable's gradient of a loss that sums every tap's mean, on `backend`. */
async function allGradients(backend: string, x: tf.Tensor4D): Promise<{ kernels: string[]; grads: Map<string, Float32Array> }> {
  await tf.setBackend(backend);
  const trainable = await loadTrainableBackboneFromDisk('all');
  const input = tf.tensor4d(x.dataSync(), x.shape);
  const names = new Map([...trainable.variables()].map(([n, v]) => [v.name, n]));
  const grads = new Map<string, Float32Array>();
  const info = await tf.profile(() => {
    const { value, grads: g } = tf.variableGrads(() => {
      const out = trainable.forward(input);
      const total = tf.addN(out.taps.map((t) => t.mean())) as tf.Scalar;
      disposeOutputs(out);
      return total;
    }, trainable.trainableVariables());
    for (const [v, t] of Object.entries(g)) grads.set(names.get(v)!, t.dataSync() as Float32Array);
    tf.dispose([value, ...Object.values(g)]);
  });
  // customGrad wrappers (fusedConv2d__op …) appear in the profile but are not kernels of any backend.
  const kernels = [...new Set(info.kernelNames)].filter((k) => tf.getKernel(k, backend)).sort();
  trainable.dispose();
  input.dispose();
  return { kernels, grads };
}

describe('kernels training needs, per backend', () => {
  it('are those a full training pass runs, every backend has them, and wasm’s gradients equal cpu’s', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomUniform([1, 32, 32, 3], 0, 255, 'float32', 3) as tf.Tensor4D;
    const cpu = await allGradients('cpu', x);
    expect(cpu.kernels).toEqual([...TRAINING_KERNELS]);
    const missing = Object.fromEntries(['cpu', 'wasm', 'webgl', 'webgpu'].map((b) => [b, missingTrainingKernels(b)]));
    expect(missing).toEqual({ cpu: [], wasm: [], webgl: [], webgpu: [] });
    const wasm = await allGradients('wasm', x);
    expect(wasm.grads.size).toBe(cpu.grads.size);
    let worst = 0;
    for (const [name, reference] of cpu.grads) {
      const ours = wasm.grads.get(name)!;
      const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const diff = ours.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i])), 0);
      worst = Math.max(worst, diff / Math.max(scale, 1e-12));
      expect(diff, name).toBeLessThanOrEqual(1e-3 * Math.max(scale, 1e-6));
    }
    console.log(`${cpu.grads.size} variables: worst |wasm − cpu| gradient, relative to the variable's largest, ${worst.toExponential(2)}`);
    tf.dispose(x);
  });
});
