// A class learnt from tags alone (thesis §4.3.1, adding classes on the fly): trained on real coco-mini photos tagged
// from their VOC masks, saved and loaded back to the same map, leaving no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { sharedDataPath } from '../core/testData.ts';
import { selectBackend } from './backend.ts';
import { loadBackboneFromDisk } from './loadFromDisk.ts';
import { readImageRgba } from './nodeImage.ts';
import { superpixelFeatures, type SuperpixelFeatures } from './segmentationEngine.ts';
import { loadTagClassNet, localizationColumns, localizationFeatures, saveTagClassNet, tagClassMap, trainTagClassNet, validateTagClassNet } from './tagClassNet.ts';
import type { FeatureLayout } from './zoomoutFeatures.ts';

const PERSON = 15;
/** As the worker keeps tagged photos: the localization levels' columns only. */
const photos: { features: tf.Tensor2D; shows: boolean; count: number }[] = [];
let layout: FeatureLayout;

beforeAll(async () => {
  await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  const dir = sharedDataPath('coco-mini');
  const files = (await readdir(join(dir, 'images'))).filter((f) => f.endsWith('.jpg')).sort();
  const withPerson: string[] = [];
  const without: string[] = [];
  for (const file of files) {
    const gt = decodeIndexPng(await readFile(join(dir, 'voc_masks', `${basename(file, '.jpg')}.png`))).values;
    (gt.includes(PERSON) ? withPerson : without).push(file);
  }
  for (const file of [...withPerson.slice(0, 3), ...without.slice(0, 3)]) {
    const f: SuperpixelFeatures = await superpixelFeatures(backbone, await readImageRgba(join(dir, 'images', file)));
    const cut = localizationColumns(f.layout);
    layout = cut.layout;
    // The cut keeps exactly the conv levels' columns, in order.
    expect(cut.layout.blocks.map((b) => b.level)).toEqual(f.layout.blocks.filter((b) => ['L1', 'L2', 'L3', 'L4', 'L5'].includes(b.level)).map((b) => b.level));
    const features = localizationFeatures(f.features, f.layout);
    const full = f.features.arraySync();
    const kept = features.arraySync();
    expect(kept[7]).toEqual(Array.from(cut.columns, (c) => full[7][c]));
    f.features.dispose();
    photos.push({ features, shows: withPerson.includes(file), count: f.map.count });
  }
  backbone.dispose();
}, 120_000);

afterAll(() => tf.dispose(photos.map((p) => p.features)));

describe('a class from tags (one localization net)', () => {
  it('learns the tagged photos apart, survives saving, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const nets = await trainTagClassNet(photos, layout, { hidden: 64, epochs: 4, onProgress: ({ loss }) => losses.push(loss) });
    expect(losses.length).toBe(4);
    expect(losses[3]).toBeLessThan(losses[0]);
    const saved = validateTagClassNet(structuredClone(await saveTagClassNet(nets)));
    const loaded = loadTagClassNet(saved);
    for (const p of photos) {
      const a = await tagClassMap(nets, p.features);
      const b = await tagClassMap(loaded, p.features);
      expect(b.present).toBe(a.present);
      b.scores.forEach((v, i) => expect(v).toBeCloseTo(a.scores[i], 5));
    }
    // On the photos it learnt from, the tagged ones are found and more of their superpixels are on.
    const on = await Promise.all(photos.map(async (p) => (await tagClassMap(nets, p.features)).scores.filter((v) => v > 0).length / p.count));
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(on.filter((_, i) => photos[i].shows))).toBeGreaterThan(mean(on.filter((_, i) => !photos[i].shows)));
    nets.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('needs both kinds of tag, and refuses a damaged save', async () => {
    await expect(trainTagClassNet(photos.filter((p) => p.shows), layout)).rejects.toThrow(/one photo as showing the class and one as not/);
    const nets = await trainTagClassNet(photos.slice(2, 4), layout, { hidden: 8, epochs: 1 });
    const saved = await saveTagClassNet(nets);
    nets.dispose();
    expect(() => validateTagClassNet({ ...saved, layers: [saved.layers[0]] })).toThrow(/damaged/);
    expect(() => validateTagClassNet({ ...saved, mean: new Float32Array(3) })).toThrow(/damaged/);
  });
});
