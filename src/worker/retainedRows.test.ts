// Kept rows train exactly as the whole photo does: on real photos and the real backbone, a head trained from a
// photo's kept rows labels another photo as the head trained from the photo itself; rows serve only the labels
// they were kept for, a mask keeps at most MAX_MASK_ROWS of its own rows, and forgetting frees every tensor.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateClicks } from '../core/clickProtocol.ts';
import { maskSource, pointSource, type LabelSource } from '../core/labelSources.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import type { Stroke } from '../core/strokes.ts';
import { sharedDataPath } from '../core/testData.ts';
import { selectBackend } from '../ml/backend.ts';
import { loadBackboneFromDisk } from '../ml/loadFromDisk.ts';
import { readImageRgba } from '../ml/nodeImage.ts';
import { SEGMENT_DEFAULTS, segmentPhotos, superpixelFeatures, type SuperpixelFeatures } from '../ml/segmentationEngine.ts';
import { MAX_MASK_ROWS, RetainedRows } from './retainedRows.ts';

const K = 21;
const stems = ['000000000139', '000000000802'];
const photos: (SuperpixelFeatures & { clicks: LabelSource; gt: Uint8Array })[] = [];
const strokes: Stroke[] = [{ classIndex: 1, radius: 4, points: [1, 2, 3, 4] }];

beforeAll(async () => {
  await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  const settings = { ...SEGMENT_DEFAULTS, slic: { ...SEGMENT_DEFAULTS.slic, k: 300 }, features: { ...SEGMENT_DEFAULTS.features, longSide: 256 } };
  for (const stem of stems) {
    const image = await readImageRgba(sharedDataPath('coco-mini', 'images', `${stem}.jpg`));
    const gt = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', `${stem}.png`))).values;
    const f = await superpixelFeatures(backbone, image, settings);
    const clicks = { ...pointSource(f.map, simulateClicks(gt, image.width, image.height, 3, 7)), kind: 'strokes' as const, hard: true };
    photos.push({ ...f, clicks, gt: Uint8Array.from(gt) });
  }
  backbone.dispose();
});

afterAll(() => photos.forEach((p) => p.features.dispose()));

describe('RetainedRows', () => {
  it('trains from a photo’s kept rows exactly as from the photo', async () => {
    const [a, b] = photos;
    const before = tf.memory().numTensors;
    const retained = new RetainedRows();
    await retained.keep('b', { strokes }, 1, b, [b.clicks]);
    const rows = retained.rowsFor('b', { strokes })!;
    expect(rows.photo.features.shape).toEqual([b.clicks.labels.filter((l) => l >= 0).length, b.layout.width]);

    const target = { id: 'a', photo: a, sources: [a.clicks] };
    const whole = await segmentPhotos([target, { id: 'b', photo: b, sources: [b.clicks] }], { classes: K, targets: ['a'] });
    const kept = await segmentPhotos([target, rows], { classes: K, targets: ['a'] });
    expect(kept.photos.map((p) => p.id)).toEqual(['a']);
    expect(kept.photos[0].classes).toEqual(whole.photos[0].classes);
    const diff = kept.photos[0].probabilities.reduce((m, v, i) => Math.max(m, Math.abs(v - whole.photos[0].probabilities[i])), 0);
    expect(diff).toBeLessThan(1e-4);
    whole.trained!.head.dispose();
    kept.trained!.head.dispose();

    retained.clear();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('serves rows only for the labels they were kept for', async () => {
    const b = photos[1];
    const retained = new RetainedRows();
    await retained.keep('b', { strokes }, 1, b, [b.clicks]);
    expect(retained.rowsFor('b', { strokes: [] })).toBeUndefined();
    expect(retained.rowsFor('b', { strokes: [{ ...strokes[0], classIndex: 2 }] })).toBeUndefined();
    expect(retained.rowsFor('b', { strokes, maskVersion: 1 })).toBeUndefined();
    expect(retained.rowsFor('b', { strokes: structuredClone(strokes) })).toBeDefined();
    retained.forget('b');
    expect(retained.rowsFor('b', { strokes })).toBeUndefined();
  });

  it('keeps every stroked row and at most MAX_MASK_ROWS of a mask’s own rows', async () => {
    const b = photos[1];
    const before = tf.memory().numTensors;
    const retained = new RetainedRows();
    const mask = maskSource(b.map, b.gt);
    expect(mask.labels.filter((l) => l >= 0).length).toBeGreaterThan(MAX_MASK_ROWS * 1.5);
    await retained.keep('b', { strokes, maskVersion: 1 }, 1, b, [mask, b.clicks]);
    const rows = retained.rowsFor('b', { strokes, maskVersion: 1 })!;
    const stroked = b.clicks.labels.filter((l) => l >= 0).length;
    const [n] = rows.photo.features.shape;
    expect(n).toBeGreaterThan(stroked);
    expect(n).toBeLessThanOrEqual(stroked + MAX_MASK_ROWS);
    // Every stroked superpixel is there, labelled as before.
    const keptStrokes = rows.sources.find((s) => s.kind === 'strokes')!.labels;
    expect(keptStrokes.filter((l) => l >= 0).length).toBe(stroked);
    retained.clear();
    expect(tf.memory().numTensors).toBe(before);
  });
});
