// Thesis §3.3.1 features end to end on a real photo: layout, flip, standardization, no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slic } from '../core/slic.ts';
import type { RgbaImage, SuperpixelMap } from '../core/types.ts';
import { sharedDataPath } from '../core/testData.ts';
import { readImageRgba } from './nodeImage.ts';
import type { Backbone } from './backbone.ts';
import { selectBackend } from './backend.ts';
import { loadBackboneFromDisk } from './loadFromDisk.ts';
import { ALL_LEVELS, columnMoments, fitStandardization, levelColumns, mergeMoments, photoZoomoutFeatures, standardize } from './zoomoutFeatures.ts';

let backbone: Backbone;
let image: RgbaImage;
let map: SuperpixelMap;

beforeAll(async () => {
  await selectBackend('wasm');
  backbone = await loadBackboneFromDisk();
  image = await readImageRgba(sharedDataPath('samples', 'astronaut.png'));
  map = slic(image, { k: 150 });
});

afterAll(() => backbone.dispose());

describe('zoom-out features', () => {
  it('gives one row per superpixel and contiguous columns per level', async () => {
    const { features, layout } = await photoZoomoutFeatures(backbone, image, map, { longSide: 128 });
    expect(features.shape).toEqual([map.count, layout.width]);
    expect(layout.blocks.map((b) => b.level)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L5', 'H', 'H', 'H', 'S1', 'S2']);
    let end = 0;
    for (const b of layout.blocks) {
      expect(b.start).toBe(end);
      end = b.end;
    }
    expect(end).toBe(layout.width);
    expect(levelColumns(layout, ['L1'])).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(levelColumns(layout, ALL_LEVELS)).toHaveLength(layout.width);
    features.dispose();
  });

  it('flip fuses by element-wise max and heatmaps add 80 columns to H', async () => {
    const plain = await photoZoomoutFeatures(backbone, image, map, { longSide: 128 });
    const both = await photoZoomoutFeatures(backbone, image, map, { longSide: 128, flip: true, heatmaps: true });
    expect(both.layout.width).toBe(plain.layout.width + 80);
    const notBelow = tf.tidy(() => {
      const cols = tf.tensor1d(levelColumns(both.layout, ['L1', 'L2', 'L3', 'L4', 'L5']), 'int32');
      return tf.min(tf.sub(tf.gather(both.features, cols, 1), tf.gather(plain.features, tf.range(0, cols.shape[0], 1, 'int32'), 1))).dataSync()[0];
    });
    expect(notBelow).toBeGreaterThanOrEqual(-1e-5);
    tf.dispose([plain.features, both.features]);
  });

  it('standardizes with 1/√(active channels) per block and zero scale for the constant scene vector', async () => {
    const { features, layout } = await photoZoomoutFeatures(backbone, image, map, { longSide: 128 });
    const st = await fitStandardization(features, layout);
    const scene = layout.blocks.find((b) => b.level === 'S2')!;
    expect(Array.from(st.scale.slice(scene.start, scene.end)).every((v) => v === 0)).toBe(true);
    const l2 = layout.blocks[1];
    const z = standardize(features, st);
    const { mean, variance } = tf.moments(z, 0);
    const v = await variance.data();
    const m = await mean.data();
    const active = Array.from(st.scale.slice(l2.start, l2.end)).filter((s) => s > 0).length;
    expect(active).toBeGreaterThan(0);
    for (let c = l2.start; c < l2.end; c++) {
      if (st.scale[c] === 0) continue;
      expect(m[c]).toBeCloseTo(0, 4);
      expect(v[c] * active).toBeCloseTo(1, 2);
    }
    tf.dispose([features, z, mean, variance]);
  });

  it('keeps the tensor count flat over repeated extraction', async () => {
    const run = async () => (await photoZoomoutFeatures(backbone, image, map, { longSide: 128, flip: true, heatmaps: true, detections: true })).features.dispose();
    await run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await run();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('column moments', () => {
  it('merged over parts equal the moments of the rows stacked (float64 reference)', async () => {
    const parts = [
      [[1, 10, 5], [3, 10, 7]],
      [[2, 10, -1]],
      [[8, 10, 0], [0, 10, 2], [4, 10, 4]],
    ];
    const tensors = parts.map((rows) => tf.tensor2d(rows));
    const moments = await Promise.all(tensors.map(columnMoments));
    tf.dispose(tensors);
    const merged = mergeMoments(moments);
    const all = parts.flat();
    const mean = [0, 1, 2].map((c) => all.reduce((s, r) => s + r[c], 0) / all.length);
    const variance = [0, 1, 2].map((c) => all.reduce((s, r) => s + (r[c] - mean[c]) ** 2, 0) / all.length);
    expect(merged.count).toBe(all.length);
    merged.mean.forEach((v, c) => expect(v).toBeCloseTo(mean[c], 5));
    merged.variance.forEach((v, c) => expect(v).toBeCloseTo(variance[c], 5));
    expect(merged.variance[1]).toBe(0);
  });
});
