// Thesis §3.3.1.1 pooling checked against a slow pixel loop over the upsampled maps, on every Node backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { slic } from '../core/slic.ts';
import type { SuperpixelMap } from '../core/types.ts';
import type { Size } from '../core/modelInputSize.ts';
import { sharedDataPath } from '../core/testData.ts';
import { readImageRgba } from './nodeImage.ts';
import { Backbone, disposeOutputs } from './backbone.ts';
import { selectBackend } from './backend.ts';
import { loadBackboneFromDisk } from './loadFromDisk.ts';
import { gatherSegmentSum, MAX_GRID_STRIDE, poolingPlan, poolTap, weightedSegmentSum } from './superpixelPooling.ts';
import { neighbourhoodBoxes, poolSubScene, subScenePlan } from './subScene.ts';

interface TapData {
  stride: number;
  shape: [number, number, number, number];
  values: Float32Array;
}

const size: Size = { width: 128, height: 96 };
let taps: TapData[] = [];
let map: SuperpixelMap;

beforeAll(async () => {
  await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  const image = await readImageRgba(sharedDataPath('samples', 'astronaut.png'));
  map = slic(image, { k: 150 });
  const input = Backbone.prepareInput(image, size);
  const out = backbone.forward(input);
  // Test-only copies: the reference below needs the maps as plain arrays.
  taps = await Promise.all(
    out.taps.map(async (t, i) => ({ stride: backbone.manifest.taps[i].stride, shape: t.shape, values: (await t.data()) as Float32Array })),
  );
  tf.dispose(input);
  disposeOutputs(out);
  backbone.dispose();
});

/** The definition, literally: resize the map to the pooling grid, then average grid cells per superpixel. */
function referencePool(tap: TapData): Float32Array {
  const g = Math.min(tap.stride, MAX_GRID_STRIDE);
  const gw = size.width / g;
  const gh = size.height / g;
  const c = tap.shape[3];
  const up = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(tap.values, tap.shape), [gh, gw], false, true).dataSync());
  const sums = new Float64Array(map.count * c);
  const counts = new Float64Array(map.count);
  const addCell = (s: number, cell: number) => {
    counts[s]++;
    for (let k = 0; k < c; k++) sums[s * c + k] += up[cell * c + k];
  };
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const x = Math.floor(((gx + 0.5) * g * map.width) / size.width);
      const y = Math.floor(((gy + 0.5) * g * map.height) / size.height);
      addCell(map.labels[y * map.width + x], gy * gw + gx);
    }
  }
  for (let s = 0; s < map.count; s++) {
    if (counts[s] > 0) continue;
    const gx = Math.floor((map.centroids[2 * s] * size.width) / map.width / g);
    const gy = Math.floor((map.centroids[2 * s + 1] * size.height) / map.height / g);
    addCell(s, gy * gw + gx);
  }
  return Float32Array.from(sums, (v, i) => v / counts[Math.floor(i / c)]);
}

/** Mean of the map over every cell the 3-hop neighbourhood box touches, by loops. */
function referenceSubScene(tap: TapData): Float32Array {
  const [, th, tw, c] = tap.shape;
  const boxes = neighbourhoodBoxes(map);
  const out = new Float32Array(map.count * c);
  const toCell = (v: number, full: number, model: number) => (v * model) / full / tap.stride;
  for (let s = 0; s < map.count; s++) {
    const x0 = Math.floor(toCell(boxes[4 * s], map.width, size.width));
    const y0 = Math.floor(toCell(boxes[4 * s + 1], map.height, size.height));
    const x1 = Math.min(tw, Math.ceil(toCell(boxes[4 * s + 2] + 1, map.width, size.width)));
    const y1 = Math.min(th, Math.ceil(toCell(boxes[4 * s + 3] + 1, map.height, size.height)));
    for (let k = 0; k < c; k++) {
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += tap.values[(y * tw + x) * c + k];
      out[s * c + k] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function scaleOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe.each(['wasm', 'cpu'] as const)('superpixel pooling on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it('matches the pixel-loop reference for every tap', () => {
    for (const tap of taps) {
      const expected = referencePool(tap);
      const got = tf.tidy(() => poolTap(tf.tensor4d(tap.values, tap.shape), poolingPlan(map, size, tap.stride)).dataSync());
      expect(got.length).toBe(map.count * tap.shape[3]);
      expect(maxAbsDiff(got, expected)).toBeLessThan(1e-4 * (1 + scaleOf(expected)));
    }
  });

  it('gives the same means from the coarse taps at their own resolution (the weighted plans GPU backends use)', () => {
    for (const tap of taps.filter((t) => t.stride > MAX_GRID_STRIDE)) {
      const [, h, w, c] = tap.shape;
      const plan = poolingPlan(map, size, tap.stride);
      expect(plan.uniform).toBe(false);
      const got = tf.tidy(() => weightedSegmentSum(tf.tensor2d(tap.values, [h * w, c]), plan).dataSync());
      const expected = referencePool(tap);
      expect(maxAbsDiff(got, expected)).toBeLessThan(1e-4 * (1 + scaleOf(expected)));
    }
  });

  it('gives the same means through the gather fallback used for plans too large for a dense matrix', () => {
    for (const tap of [taps[1], taps[4]]) {
      const [, h, w, c] = tap.shape;
      const got = tf.tidy(() => gatherSegmentSum(tf.tensor2d(tap.values, [h * w, c]), poolingPlan(map, size, tap.stride)).dataSync());
      const expected = referencePool(tap);
      expect(maxAbsDiff(got, expected)).toBeLessThan(1e-4 * (1 + scaleOf(expected)));
    }
  });

  it('matches the box-mean reference for the sub-scene level', () => {
    const tap = taps[taps.length - 4];
    const expected = referenceSubScene(tap);
    const got = tf.tidy(() => poolSubScene(tf.tensor4d(tap.values, tap.shape), subScenePlan(map, size, tap.stride)).dataSync());
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-4 * (1 + scaleOf(expected)));
  });
});
