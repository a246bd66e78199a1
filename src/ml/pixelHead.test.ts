// Pixel mode (thesis §3.5) on a real photo and the real backbone: hypercolumn rows against a hand-written
// bilinear reference, the folded first layer against the head applied to every cell's full row, and a head
// trained on a COCO photo's VOC mask labelling that photo.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridLabels } from '../core/pixelGrid.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { ConfusionMatrix } from '../core/segmentationScore.ts';
import { sharedDataPath } from '../core/testData.ts';
import type { RgbaImage } from '../core/types.ts';
import type { Backbone } from './backbone.ts';
import { selectBackend } from './backend.ts';
import { ClassifierHead, headInputs, type TrainedHead } from './classifierHead.ts';
import { loadBackboneFromDisk } from './loadFromDisk.ts';
import { readImageRgba } from './nodeImage.ts';
import { disposePixelSources, photoPixelSources, pixelMoments, pixelRows, type PixelSources } from './pixelFeatures.ts';
import { labelPixels, pixelLogits, trainPixelHead } from './pixelHead.ts';
import { disposePixelViews, photoPixelViews } from './pixelViews.ts';
import { standardizationFromMoments } from './zoomoutFeatures.ts';

let backbone: Backbone;
let image: RgbaImage;
let sources: PixelSources;

beforeAll(async () => {
  await selectBackend('wasm');
  backbone = await loadBackboneFromDisk();
  image = await readImageRgba(sharedDataPath('coco-mini', 'images', '000000000139.jpg'));
  sources = await photoPixelSources(backbone, image, { longSide: 128, detections: true });
});

afterAll(() => {
  disposePixelSources(sources);
  backbone.dispose();
});

/** Bilinear, half-pixel centres, edges clamped: the value of channel `c` of `map` ([h, w, channels]) at a grid cell. */
function bilinearAt(map: Float32Array, h: number, w: number, channels: number, c: number, grid: { cols: number; rows: number }, gx: number, gy: number): number {
  const sy = Math.max(0, ((gy + 0.5) * h) / grid.rows - 0.5);
  const sx = Math.max(0, ((gx + 0.5) * w) / grid.cols - 0.5);
  const y0 = Math.floor(sy);
  const x0 = Math.floor(sx);
  const y1 = Math.min(h - 1, y0 + 1);
  const x1 = Math.min(w - 1, x0 + 1);
  const fy = sy - y0;
  const fx = sx - x0;
  const at = (y: number, x: number) => map[(y * w + x) * channels + c];
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
}

describe('pixel mode', () => {
  it('lays out every tap and the detection maps by level, then the scene vector, on the stride-4 grid', () => {
    const { layout, grid } = sources;
    expect(layout.blocks.map((b) => b.level)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L5', 'H', 'H', 'H', 'H', 'S2']);
    expect(layout.blocks.at(-1)!.end).toBe(layout.width);
    // 640×427 photo, long side 128 → a 128×96 input (sides multiples of 32) → a 32×24 grid.
    expect(grid).toEqual({ cols: 32, rows: 24 });
  });

  it('gives each cell its taps read bilinearly at the cell centre', async () => {
    const cells = Int32Array.from([0, 5, 31, 24 * 32 - 1, 13 * 32 + 17]);
    const rows = pixelRows(sources, cells);
    const got = (await rows.data()) as Float32Array;
    rows.dispose();
    let worst = 0;
    for (const [i, m] of sources.maps.entries()) {
      const [, h, w, channels] = m.map.shape;
      const values = (await m.map.data()) as Float32Array;
      const block = sources.layout.blocks[i];
      cells.forEach((cell, r) => {
        for (let c = 0; c < channels; c += 7) {
          const want = bilinearAt(values, h, w, channels, c, sources.grid, cell % sources.grid.cols, Math.floor(cell / sources.grid.cols));
          worst = Math.max(worst, Math.abs(got[r * sources.layout.width + block.start + c] - want) / (1 + Math.abs(want)));
        }
      });
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('applies a head on the grid exactly as on every cell’s full row, linear and MLP alike', async () => {
    const all = Int32Array.from({ length: sources.grid.cols * sources.grid.rows }, (_, i) => i);
    const standardization = standardizationFromMoments(await pixelMoments(sources), sources.layout);
    for (const hidden of [[], [32]]) {
      const model: TrainedHead = {
        head: ClassifierHead.create({ hidden, dropout: 0 }, sources.layout.width, 5, 3),
        layout: sources.layout,
        standardization,
        levels: ['L1', 'L3', 'L5', 'H'],
      };
      const before = tf.memory().numTensors;
      const [fast, slow] = tf.tidy(() => {
        const rows = pixelRows(sources, all);
        return [tf.reshape(pixelLogits(model, sources), [all.length, 5]), model.head.logits(headInputs(model, rows))];
      });
      const range = tf.tidy(() => tf.sub(tf.max(slow), tf.min(slow)).dataSync()[0]);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fast, slow))).dataSync()[0]);
      expect(diff).toBeLessThan(1e-4 * range);
      tf.dispose([fast, slow]);
      expect(tf.memory().numTensors).toBe(before);
      model.head.dispose();
    }
  });

  it('learns a photo from its VOC mask and labels it at full resolution without leaking tensors', async () => {
    const mask = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', '000000000139.png')));
    const truth = Uint8Array.from(mask.values);
    const labels = gridLabels(truth, image.width, image.height, sources.grid);
    const before = tf.memory().numTensors;
    const model = await trainPixelHead([{ sources, labels }], 21, { cellsPerPhoto: 400, solver: 'adam', weightDecay: 0.001 });
    const predicted = (await labelPixels(model, sources, image.width, image.height)).classes;
    model.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(predicted).toHaveLength(image.width * image.height);
    const cm = new ConfusionMatrix(21);
    cm.add(truth, predicted);
    // In-sample, on the 32×24 grid of a 128-pixel input: the classes it saw come back where they are.
    expect(cm.pixelAccuracy()).toBeGreaterThan(0.8);
  });

  it('averages views: a view twice is the view once, and flip inference commutes with mirroring the photo', async () => {
    const before = tf.memory().numTensors;
    const model: TrainedHead = {
      head: ClassifierHead.create({ hidden: [], dropout: 0 }, sources.layout.width, 4, 7),
      layout: sources.layout,
      standardization: standardizationFromMoments(await pixelMoments(sources), sources.layout),
      levels: ['L1', 'L2', 'L3', 'L4', 'L5', 'H'],
    };
    const once = await labelPixels(model, sources, image.width, image.height);
    const twice = await labelPixels(model, [{ sources, mirrored: false }, { sources, mirrored: false }], image.width, image.height);
    expect(twice.classes).toEqual(once.classes);
    expect(twice.confidence).toEqual(once.confidence);

    const mirror = mirrorImage(image);
    const options = { longSide: 128, detections: true, flip: true, scales: [1, 1.5] };
    const [views, mirrorViews] = [await photoPixelViews(backbone, image, options), await photoPixelViews(backbone, mirror, options)];
    expect(views.map((v) => [v.sources.grid.cols, v.mirrored])).toEqual([[32, false], [32, true], [48, false], [48, true]]);
    const labelled = await labelPixels(model, views, image.width, image.height);
    const mirrored = await labelPixels(model, mirrorViews, image.width, image.height);
    disposePixelViews([...views, ...mirrorViews]);
    // The photo's views are its mirror's views mirrored, up to the float rounding of resizing either way.
    let same = 0;
    let worst = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const p = y * image.width + x;
        const q = y * image.width + image.width - 1 - x;
        if (labelled.classes[p] === mirrored.classes[q]) same++;
        worst = Math.max(worst, Math.abs(labelled.confidence[p] - mirrored.confidence[q]));
      }
    }
    expect(same / labelled.classes.length).toBeGreaterThan(0.999);
    expect(worst).toBeLessThan(1e-3);
    // And the views change the answer: it is not the single upright view.
    expect(labelled.confidence).not.toEqual(once.confidence);
    model.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

function mirrorImage(source: RgbaImage): RgbaImage {
  const { width, height } = source;
  const data = new Uint8Array(source.data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(source.data.subarray(4 * (y * width + x), 4 * (y * width + x) + 4), 4 * (y * width + width - 1 - x));
  return { width, height, data };
}
