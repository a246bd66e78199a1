// The one engine on real photos and the real backbone: strokes are hard and win, soft sources train with
// their weight, one head learns across photos, and nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateClicks } from '../core/clickProtocol.ts';
import { maskSource, pointSource, type LabelSource } from '../core/labelSources.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { sharedDataPath } from '../core/testData.ts';
import { readImageRgba } from './nodeImage.ts';
import { selectBackend } from './backend.ts';
import { loadBackboneFromDisk } from './loadFromDisk.ts';
import { NoLabelsError, SEGMENT_DEFAULTS, segmentPhotos, superpixelFeatures, type EnginePhoto, type SuperpixelFeatures } from './segmentationEngine.ts';
import { trainHead } from './trainHead.ts';
import { predictProbabilities } from './classifierHead.ts';

const K = 21;
const stems = ['000000000139', '000000000802'];
const photos: (SuperpixelFeatures & { clicks: LabelSource })[] = [];

beforeAll(async () => {
  await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  const settings = { ...SEGMENT_DEFAULTS, slic: { ...SEGMENT_DEFAULTS.slic, k: 150 }, features: { ...SEGMENT_DEFAULTS.features, longSide: 256 } };
  for (const stem of stems) {
    const image = await readImageRgba(sharedDataPath('coco-mini', 'images', `${stem}.jpg`));
    const gt = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', `${stem}.png`))).values;
    const f = await superpixelFeatures(backbone, image, settings);
    const clicks = { ...pointSource(f.map, simulateClicks(gt, image.width, image.height, 2, 5)), kind: 'strokes' as const, hard: true };
    photos.push({ ...f, clicks });
  }
  backbone.dispose();
});

afterAll(() => photos.forEach((p) => p.features.dispose()));

const engineInput = (sources: (p: (typeof photos)[number]) => LabelSource[]): EnginePhoto[] => photos.map((p, i) => ({ id: stems[i], photo: p, sources: sources(p) }));

describe('segmentPhotos', () => {
  it('trains one head across photos and keeps every hard label as given', async () => {
    const before = tf.memory().numTensors;
    const r = await segmentPhotos(engineInput((p) => [p.clicks]), { classes: K });
    expect(r.photos.map((p) => p.id)).toEqual(stems);
    r.photos.forEach((out, i) => {
      photos[i].clicks.labels.forEach((c, s) => c >= 0 && expect(out.classes[s]).toBe(c));
      expect(out.fixed).toBe(photos[i].clicks.labels.filter((c) => c >= 0).length);
      expect(out.probabilities.length).toBe(photos[i].map.count * K);
    });
    r.trained!.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets strokes win over a conflicting soft source on their superpixels', async () => {
    const p = photos[0];
    // A mask that calls everything class 7, strokes that say otherwise.
    const wrong = maskSource(p.map, new Uint8Array(p.map.width * p.map.height).fill(7), 0.5);
    const r = await segmentPhotos([{ id: 'a', photo: p, sources: [wrong, p.clicks] }], { classes: K });
    p.clicks.labels.forEach((c, s) => c >= 0 && expect(r.photos[0].classes[s]).toBe(c));
    expect(r.photos[0].labelled).toBe(p.map.count);
    r.trained!.head.dispose();
  });

  it('trains only on the photos it is given and labels only the targets', async () => {
    const r = await segmentPhotos(engineInput((p) => (p === photos[0] ? [p.clicks] : [])), { classes: K, targets: [stems[1]] });
    expect(r.photos.map((p) => p.id)).toEqual([stems[1]]);
    expect(r.photos[0].fixed).toBe(0);
    r.trained!.head.dispose();
  });

  it('applies a given head without training, and says when there is nothing to learn from', async () => {
    const first = await segmentPhotos(engineInput((p) => [p.clicks]), { classes: K });
    const again = await segmentPhotos(engineInput(() => []), { classes: K, head: first.trained });
    expect(again.trained).toBeUndefined();
    expect(again.timings.trainMs).toBeLessThan(first.timings.trainMs);
    first.trained!.head.dispose();
    await expect(segmentPhotos(engineInput(() => []), { classes: K })).rejects.toThrow(NoLabelsError);
  });
});

describe('per-example weights', () => {
  it('a zero weight is the same as leaving the example out, and uniform weights change nothing', async () => {
    const p = photos[0];
    const labels = p.clicks.labels;
    const first = labels.findIndex((c) => c >= 0);
    const without = Int32Array.from(labels, (c, s) => (s === first ? -1 : c));
    const zero = Float32Array.from(labels, (_, s) => (s === first ? 0 : 1));
    const opts = { epochs: 10 };
    const heads = [
      await trainHead(p.features, p.layout, without, K, opts),
      await trainHead(p.features, p.layout, labels, K, { ...opts, exampleWeights: zero }),
      await trainHead(p.features, p.layout, labels, K, opts),
      await trainHead(p.features, p.layout, labels, K, { ...opts, exampleWeights: new Float32Array(labels.length).fill(1) }),
    ];
    const probs = await Promise.all(heads.map((h) => predictProbabilities(h, p.features)));
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    expect(maxDiff(probs[0], probs[1])).toBeLessThan(1e-4);
    expect(maxDiff(probs[2], probs[3])).toBeLessThan(1e-4);
    expect(maxDiff(probs[0], probs[2])).toBeGreaterThan(1e-3);
    heads.forEach((h) => h.head.dispose());
  });
});
