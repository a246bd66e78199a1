// End-to-end fine-tuning (thesis §3.5) on wasm with the real backbone and two coco-mini photos' VOC masks: the
// head and the chosen block change, frozen blocks do not, nothing leaks over 100 steps; detections follow a
// mirrored crop.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vocLabelSet } from '../core/labelSets.ts';
import { gridLabels } from '../core/pixelGrid.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { sharedDataPath } from '../core/testData.ts';
import { Backbone } from './backbone.ts';
import { cropDetections, FINETUNE_DEFAULTS, finetunePixelModel, finetuneRates, isOutOfMemory, photoDetections, smallerRun, type FinetunePhoto } from './finetune.ts';
import { loadBackboneFromDisk, loadTrainableBackboneFromDisk } from './loadFromDisk.ts';
import { readImageRgba } from './nodeImage.ts';
import { disposePixelSources, photoPixelSources } from './pixelFeatures.ts';
import { trainPixelHead } from './pixelHead.ts';
import type { TrainableBackbone } from './trainableBackbone.ts';

const K = vocLabelSet().classes.length;
const PHOTOS = ['000000000139', '000000000802'];

describe('fine-tuning the backbone under the pixel head (wasm)', () => {
  let graph: Backbone;
  let trainable: TrainableBackbone;
  const photos: FinetunePhoto[] = [];

  beforeAll(async () => {
    await tf.setBackend('wasm');
    graph = await loadBackboneFromDisk();
    trainable = await loadTrainableBackboneFromDisk('top');
    for (const stem of PHOTOS) {
      const image = await readImageRgba(sharedDataPath('coco-mini', 'images', `${stem}.jpg`));
      const gt = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', `${stem}.png`))).values;
      photos.push({ image, labels: Int32Array.from(gt, (v) => (v < K ? v : -1)), detections: await photoDetections(graph, image) });
    }
  });

  afterAll(() => {
    graph.dispose();
    trainable.dispose();
  });

  it('updates the head and the top block only, with the loss finite and no tensor left behind', async () => {
    const heads = [];
    for (const p of photos) {
      const sources = await photoPixelSources(graph, p.image, { longSide: 128, detections: true });
      heads.push({ sources, labels: gridLabels(p.labels.map((v) => (v < 0 ? 255 : v)), p.image.width, p.image.height, sources.grid) });
    }
    const model = await trainPixelHead(heads, K, { solver: 'adam', epochs: 5 });
    heads.forEach((h) => disposePixelSources(h.sources));
    const snapshot = () => new Map([...trainable.variables(), ...model.head.variables().map((v) => [v.name, v] as const)].map(([n, v]) => [n, v.dataSync().slice()]));
    const before = snapshot();
    const tensors = tf.memory().numTensors;
    const losses = await finetunePixelModel(trainable, model, photos, { steps: 3, batch: 2, side: 64, headLearningRate: 1e-3, backboneLearningRate: 1e-4 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(losses).toHaveLength(3);
    expect(losses.every(Number.isFinite)).toBe(true);
    const after = snapshot();
    const changed = new Set([...before].filter(([n, v]) => after.get(n)!.some((x, i) => x !== v[i])).map(([n]) => n));
    const trainableNames = new Set([...trainable.variables()].filter(([, v]) => v.trainable).map(([n]) => n));
    for (const v of model.head.variables()) expect(changed.has(v.name), 'head').toBe(true);
    expect([...changed].filter((n) => trainableNames.has(n)).length).toBeGreaterThan(0);
    for (const [name] of trainable.variables()) if (!trainableNames.has(name)) expect(changed.has(name), name).toBe(false);
    model.head.dispose();
  });

  it('holds tensors and bytes flat over 100 steps', async () => {
    const sources = await photoPixelSources(graph, photos[0].image, { longSide: 64, detections: true });
    const model = await trainPixelHead([{ sources, labels: gridLabels(photos[0].labels.map((v) => (v < 0 ? 255 : v)), photos[0].image.width, photos[0].image.height, sources.grid) }], K, { solver: 'adam', epochs: 2 });
    disposePixelSources(sources);
    const counts: [number, number][] = [];
    await finetunePixelModel(trainable, model, photos, { steps: 100, batch: 1, side: 32, longSide: 64, onStep: () => counts.push([tf.memory().numTensors, tf.memory().numBytes]) });
    // From the second step on (Adam makes its moment variables at the first), nothing grows.
    expect(new Set(counts.slice(1).map((c) => c.join()))).toEqual(new Set([counts[1].join()]));
    model.head.dispose();
  }, 120_000);

  it('moves the detector’s boxes into a mirrored crop, and drops those outside it', () => {
    const detections = {
      cols: 100,
      rows: 50,
      list: [
        { classIndex: 0, score: 0.9, box: [10, 10, 30, 40] as [number, number, number, number], cx: 20, cy: 25 },
        { classIndex: 2, score: 0.5, box: [80, 0, 95, 10] as [number, number, number, number], cx: 87, cy: 5 },
      ],
    };
    // The photo's left half, mirrored, on a 25×25 grid: x ∈ [0, 50) of 100 columns → u = 1 − x/50.
    const moved = cropDetections(detections, { width: 400, height: 200 }, { x0: 0, y0: 0, width: 200, height: 200, flip: true }, 25, 25);
    expect(moved).toHaveLength(1);
    const [d] = moved;
    expect(d.box.map((v) => +v.toFixed(6))).toEqual([10, 5, 20, 20]);
    expect([d.cx, d.cy].map((v) => +v.toFixed(6))).toEqual([15, 12.5]);
  });

  it('retries out of memory at half the batch, then half the crop, down to one 32² crop', () => {
    expect(isOutOfMemory(new Error('GPUOutOfMemoryError: Out of memory'))).toBe(true);
    expect(isOutOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemory(new Error('Aborted(OOM)'))).toBe(true);
    expect(isOutOfMemory(new Error('Kernel Foo not registered'))).toBe(false);
    const sizes = [{ batch: 4, side: 256 }];
    for (let next = smallerRun(sizes[0], 32); next; next = smallerRun(next, 32)) sizes.push(next);
    expect(sizes.map((r) => `${r.batch}×${r.side}`)).toEqual(['4×256', '2×256', '1×256', '1×128', '1×64', '1×32']);
  });

  it('runs at the thesis’s rates, then a tenth of them for the last quarter of the steps', () => {
    const o = { ...FINETUNE_DEFAULTS, steps: 40 };
    expect(finetuneRates(1, o)).toEqual({ head: 1e-4, backbone: 1e-5 });
    expect(finetuneRates(30, o)).toEqual({ head: 1e-4, backbone: 1e-5 });
    expect(finetuneRates(31, o).head).toBeCloseTo(1e-5, 12);
    expect(finetuneRates(40, o).backbone).toBeCloseTo(1e-6, 12);
    expect(finetuneRates(40, { ...o, rateDropAt: 1 })).toEqual({ head: 1e-4, backbone: 1e-5 });
  });
});
