import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { rgbaToLab } from './cielab.ts';
import { slic, slicParams } from './slic.ts';
import { slicClusters } from './slicClusters.ts';
import { slicReference } from './slicReference.ts';
import type { RgbaImage, SuperpixelMap } from './types.ts';
import { expectConnectedDense } from './slicTestHelpers.ts';

const samples = fileURLToPath(new URL('../../../shared/data/samples/', import.meta.url));

/** A real photo shrunk to test size: the reference compares every pixel with every centre. */
async function sample(name: string, width: number, height: number): Promise<RgbaImage> {
  const { data, info } = await sharp(samples + name)
    .resize(width, height, { fit: 'cover' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

describe('slicClusters', () => {
  for (const [name, k, m] of [
    ['chelsea.png', 30, 15],
    ['coffee.png', 24, 10],
    ['astronaut.png', 40, 30],
  ] as const) {
    it(`gives exactly the reference's labels before connectivity (${name}, k=${k}, m=${m})`, async () => {
      const image = await sample(name, 60, 40);
      const lab = rgbaToLab(image);
      const params = { k, m, maxIterations: 10, residualThreshold: 0.05 };
      const fast = slicClusters(lab, image.width, image.height, params);
      const reference = slicReference(lab, image.width, image.height, params);
      expect(fast.iterations).toBe(reference.iterations);
      expect(fast.iterations).toBeGreaterThan(1);
      expect(fast.labels).toEqual(reference.labels);
      // The fast update sums Lab per run, the reference per pixel: equal up to rounding.
      expect(fast.centres.length).toBe(reference.centres.length);
      fast.centres.forEach((v, i) => expect(Math.abs(v - reference.centres[i])).toBeLessThan(1e-9));
    });
  }

  it('agrees with the reference when the iteration cap, not the residual, stops it', async () => {
    const image = await sample('astronaut.png', 60, 40);
    const lab = rgbaToLab(image);
    const params = { k: 50, m: 15, maxIterations: 3, residualThreshold: 0 };
    const fast = slicClusters(lab, 60, 40, params);
    expect(fast.iterations).toBe(3);
    expect(fast.labels).toEqual(slicReference(lab, 60, 40, params).labels);
  });

  it('stops early once the centres settle', async () => {
    const image = await sample('chelsea.png', 60, 40);
    const lab = rgbaToLab(image);
    const settled = slicClusters(lab, 60, 40, { k: 30, m: 15, maxIterations: 50, residualThreshold: 0.5 });
    expect(settled.iterations).toBeLessThan(50);
  });
});

describe('slic', () => {
  it('returns dense, 4-connected superpixels close to k in number', async () => {
    const image = await sample('astronaut.png', 160, 120);
    const map = slic(image, { k: 100 });
    expect(map.width).toBe(160);
    expect(map.height).toBe(120);
    expect(map.count).toBeGreaterThan(70);
    expect(map.count).toBeLessThan(130);
    expectConnectedDense(map.labels, map.width, map.height, map.count);
  });

  it('follows compactness: a larger m gives rounder, more grid-like superpixels', async () => {
    const image = await sample('coffee.png', 160, 120);
    const perimeter = (map: SuperpixelMap) => {
      let edges = 0;
      for (let p = 0; p < map.labels.length; p++) {
        if ((p + 1) % map.width !== 0 && map.labels[p] !== map.labels[p + 1]) edges++;
        if (p + map.width < map.labels.length && map.labels[p] !== map.labels[p + map.width]) edges++;
      }
      return edges;
    };
    expect(perimeter(slic(image, { k: 100, m: 40 }))).toBeLessThan(perimeter(slic(image, { k: 100, m: 5 })));
  });

  it('handles images smaller than one grid cell', () => {
    const image: RgbaImage = { width: 2, height: 1, data: new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255]) };
    const map = slic(image, { k: 500 });
    expect(map.count).toBeGreaterThanOrEqual(1);
    expect(map.count).toBeLessThanOrEqual(2);
    expectConnectedDense(map.labels, map.width, map.height, map.count);
  });

  it('rejects meaningless options', () => {
    expect(() => slicParams({ k: 0 })).toThrow(RangeError);
    expect(() => slicParams({ m: -1 })).toThrow(RangeError);
    expect(() => slicParams({ maxIterations: 0 })).toThrow(RangeError);
  });
});
