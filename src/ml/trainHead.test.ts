// Per-photo heads (thesis §3.4.3 with eq. 3.3.1) trained from a few clicks of a real photo.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateClicks } from '../core/clickProtocol.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { slic } from '../core/slic.ts';
import type { SuperpixelMap } from '../core/types.ts';
import { sharedDataPath } from '../core/testData.ts';
import { readImageRgba } from './nodeImage.ts';
import { selectBackend } from './backend.ts';
import { asymmetricLogLoss, inverseClassFrequencyWeights } from './asymmetricLoss.ts';
import { decide, headInputs, predictProbabilities } from './classifierHead.ts';
import { loadHead, saveHead } from './headIO.ts';
import { loadBackboneFromDisk } from './loadFromDisk.ts';
import { labelSuperpixels } from './graphSmoothing.ts';
import { OPTIMUM_MAX_ROWS, TRAIN_DEFAULTS, trainHead, type TrainProgress } from './trainHead.ts';
import { photoZoomoutFeatures, type ZoomoutFeatures } from './zoomoutFeatures.ts';

const K = 21;
let photo: ZoomoutFeatures;
let map: SuperpixelMap;
let labels: Int32Array;

beforeAll(async () => {
  await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  const dir = sharedDataPath('coco-mini');
  const image = await readImageRgba(`${dir}/images/000000000139.jpg`);
  const gt = decodeIndexPng(await readFile(`${dir}/voc_masks/000000000139.png`)).values;
  map = slic(image, { k: 200 });
  photo = await photoZoomoutFeatures(backbone, image, map, { longSide: 256 });
  backbone.dispose();
  labels = new Int32Array(map.count).fill(-1);
  for (const c of simulateClicks(gt, image.width, image.height, 3, 7)) labels[map.labels[c.y * image.width + c.x]] = c.classIndex;
});

afterAll(() => photo.features.dispose());

describe('trainHead', () => {
  it('labels the clicked superpixels correctly and reports a falling loss', async () => {
    for (const solver of ['optimum', 'adam'] as const) {
      const progress: TrainProgress[] = [];
      const model = await trainHead(photo.features, photo.layout, labels, K, { solver, onProgress: (p) => progress.push(p) });
      const { classes } = decide(await predictProbabilities(model, photo.features), K);
      labels.forEach((y, s) => {
        if (y >= 0) expect(classes[s]).toBe(y);
      });
      if (solver === 'adam') expect(progress).toHaveLength(TRAIN_DEFAULTS.epochs);
      expect(progress.at(-1)!.loss).toBeLessThan(progress[0].loss);
      model.head.dispose();
    }
  });

  it('solves the linear head to the optimum of eq. 3.3.1 + λ‖W‖²: tfjs autodiff finds no gradient there, and Adam a higher objective', async () => {
    const rows = [...labels.keys()].filter((s) => labels[s] >= 0);
    const ys = rows.map((s) => labels[s]);
    const objective = (model: Awaited<ReturnType<typeof trainHead>>) => {
      const [kernel, bias] = model.head.variables();
      const x = tf.gather(headInputs(model, photo.features), tf.tensor1d(rows, 'int32')) as tf.Tensor2D;
      const f = (k: tf.Tensor, b: tf.Tensor) =>
        tf.add(
          asymmetricLogLoss(tf.add(tf.matMul(x, k as tf.Tensor2D), b) as tf.Tensor2D, tf.tensor1d(ys, 'int32'), tf.tensor1d(inverseClassFrequencyWeights(ys, K))),
          tf.mul(TRAIN_DEFAULTS.weightDecay, tf.sum(tf.square(k))),
        ) as tf.Scalar;
      return tf.tidy(() => {
        const { value, grads } = tf.valueAndGrads(f)([kernel, bias]);
        return { value: value.dataSync()[0], gradient: Math.sqrt(grads.reduce((acc, g) => acc + tf.sum(tf.square(g)).dataSync()[0], 0)) };
      });
    };
    const optimum = await trainHead(photo.features, photo.layout, labels, K);
    const adam = await trainHead(photo.features, photo.layout, labels, K, { solver: 'adam' });
    const a = objective(optimum);
    const b = objective(adam);
    expect(a.gradient).toBeLessThan(1e-3);
    expect(b.gradient).toBeGreaterThan(a.gradient);
    expect(a.value).toBeLessThanOrEqual(b.value + 1e-5);
    [optimum, adam].forEach((m) => m.head.dispose());
  });

  it('trains whole masks (more than OPTIMUM_MAX_ROWS labelled rows) by Adam, not the N×N solve', async () => {
    const copies = Math.ceil((OPTIMUM_MAX_ROWS + 1) / map.count);
    const features = tf.tile(photo.features, [copies, 1]) as tf.Tensor2D;
    const everyRow = new Int32Array(features.shape[0]).map((_, s) => (s % 2 === 0 ? 0 : 15));
    const progress: TrainProgress[] = [];
    const model = await trainHead(features, photo.layout, everyRow, K, { epochs: 3, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.epochs)).toEqual([3, 3, 3]);
    model.head.dispose();
    features.dispose();
  });

  it('does not warm-start Adam from an optimum whose absent classes are pinned: a class labelled since is learnt', async () => {
    const present = [...new Set(labels.filter((y) => y >= 0))];
    const [kept, dropped] = present;
    const fewer = labels.map((y) => (y === dropped ? -1 : y));
    const optimum = await trainHead(photo.features, photo.layout, fewer, K);
    expect(optimum.solvedClasses).not.toContain(dropped);
    const adam = await trainHead(photo.features, photo.layout, labels, K, { solver: 'adam', warmStart: optimum });
    const { classes } = decide(await predictProbabilities(adam, photo.features), K);
    expect(labels.some((y, s) => y === dropped && classes[s] === dropped)).toBe(true);
    expect(optimum.solvedClasses).toContain(kept);
    [optimum, adam].forEach((m) => m.head.dispose());
  });

  it('keeps the tensor count flat over training (both solvers), warm starts, level dropout, the MLP and prediction', async () => {
    const cycle = async () => {
      const a = await trainHead(photo.features, photo.layout, labels, K, { epochs: 10, levelDropout: 0.3 });
      const b = await trainHead(photo.features, photo.layout, labels, K, { epochs: 10, warmStart: a, levels: ['L1', 'L2', 'S1'] });
      const optimum = await trainHead(photo.features, photo.layout, labels, K);
      const c = await trainHead(photo.features, photo.layout, labels, K, { epochs: 5, head: { hidden: [32, 32], dropout: 0.5 } });
      await labelSuperpixels(b, photo.features, map, { clicked: labels });
      await labelSuperpixels(c, photo.features, map);
      [a, b, c, optimum].forEach((m) => m.head.dispose());
    };
    await cycle();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when aborted and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const training = trainHead(photo.features, photo.layout, labels, K, {
      epochs: 1000,
      solver: 'adam',
      signal: controller.signal,
      onProgress: (p) => p.epoch === 15 && controller.abort(),
    });
    await expect(training).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('warm-starts from the previous head and round-trips through JSON', async () => {
    const first = await trainHead(photo.features, photo.layout, labels, K);
    const warm: TrainProgress[] = [];
    const cold: TrainProgress[] = [];
    const a = await trainHead(photo.features, photo.layout, labels, K, { solver: 'adam', epochs: 3, warmStart: first, onProgress: (p) => warm.push(p) });
    const b = await trainHead(photo.features, photo.layout, labels, K, { solver: 'adam', epochs: 3, onProgress: (p) => cold.push(p) });
    expect(warm[0].loss).toBeLessThan(cold[0].loss);
    const restored = loadHead(JSON.parse(JSON.stringify(await saveHead(first, 'voc'))), photo.layout);
    const p0 = await predictProbabilities(first, photo.features);
    const p1 = await predictProbabilities(restored, photo.features);
    expect(Math.max(...p0.map((v, i) => Math.abs(v - p1[i])))).toBeLessThan(1e-5);
    expect(() => loadHead({ format: 'other' }, photo.layout)).toThrow(/not a zoom-out head/);
    [first, a, b, restored].forEach((m) => m.head.dispose());
  });
});
