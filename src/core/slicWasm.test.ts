// The WebAssembly SLIC against the TypeScript one it must equal, on real photos of odd sizes.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgbaToLab } from './cielab.ts';
import { enforceConnectivity } from './enforceConnectivity.ts';
import { slic, slicLabels, slicParams, useSlicWasm } from './slic.ts';
import { slicClusters } from './slicClusters.ts';
import { SlicWasm } from './slicWasm.ts';
import { buildSuperpixelMap } from './superpixelStats.ts';
import { sharedDataPath } from './testData.ts';
import type { RgbaImage } from './types.ts';

let wasm: SlicWasm;

beforeAll(async () => {
  wasm = await SlicWasm.instantiate(await readFile(fileURLToPath(new URL('../../build/slic.wasm', import.meta.url))));
});

async function photo(path: string, width?: number, height?: number): Promise<RgbaImage> {
  const pipeline = sharp(path);
  const { data, info } = await (width ? pipeline.resize(width, height, { fit: 'fill' }) : pipeline).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

describe('SlicWasm', () => {
  it('gives exactly the TypeScript Lab, centres and labels, whatever the size (odd widths, tiny images, many or few seeds)', async () => {
    const cases: [string, number | undefined, number | undefined, number, number][] = [
      ['astronaut.png', 97, 61, 40, 15],
      ['chelsea.png', 301, 200, 500, 10],
      ['coffee.png', 2, 5, 3, 15],
      ['coffee.png', 1, 1, 1, 15],
      ['astronaut.png', 64, 3, 900, 30],
      ['chelsea.png', undefined, undefined, 500, 15],
    ];
    for (const [name, width, height, k, m] of cases) {
      const image = await photo(sharedDataPath('samples', name), width, height);
      const params = { ...slicParams({ k, m }), maxIterations: 10, residualThreshold: 0.05 };
      const lab = rgbaToLab(image);
      const reference = slicClusters(lab, image.width, image.height, params);
      const fast = wasm.clusters(image, params);
      expect(fast.lab).toEqual(lab);
      expect(fast.iterations).toBe(reference.iterations);
      expect(fast.centres).toEqual(reference.centres);
      expect(fast.labels).toEqual(reference.labels);
      for (const minSize of [1, 4, 60]) {
        const connected = wasm.connectedLabels(image, params, minSize);
        const expected = enforceConnectivity(reference.labels, lab, image.width, image.height, minSize);
        expect(connected.count).toBe(expected.count);
        expect(connected.labels).toEqual(expected.labels);
      }
    }
  });

  it('enforces connectivity as the TypeScript does on fragmented clusterings (noise, colour-only distance)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) & 255;
    for (const [width, height, k, m] of [
      [83, 57, 200, 0.5],
      [120, 90, 30, 1],
      [7, 300, 50, 0.1],
    ]) {
      const image = { width, height, data: Uint8Array.from({ length: width * height * 4 }, random) };
      const params = { ...slicParams({ k, m }), maxIterations: 4 };
      const lab = rgbaToLab(image);
      const { labels } = slicClusters(lab, width, height, params);
      for (const minSize of [1, 3, 25, 400]) {
        const expected = enforceConnectivity(labels, lab, width, height, minSize);
        // Fragmented indeed: without merging, far more pieces than clusters.
        if (minSize === 1) expect(expected.count).toBeGreaterThan(k);
        expect(wasm.connectedLabels(image, params, minSize)).toEqual(expected);
      }
    }
  });

  it('computes the statistics and adjacency of any dense label map exactly as buildSuperpixelMap does', async () => {
    let seed = 11;
    const random = () => (seed = (seed * 16807) % 2147483647);
    const image = await photo(sharedDataPath('samples', 'chelsea.png'), 131, 77);
    const n = image.width * image.height;
    // One label, stripes, noise over many labels (dense: every label occurs) and noise over few.
    const maps: [Int32Array, number][] = [[new Int32Array(n), 1], [Int32Array.from({ length: n }, (_, p) => p % image.width >> 3), Math.ceil(image.width / 8)]];
    for (const count of [2, 37, 3000]) {
      const labels = Int32Array.from({ length: n }, (_, p) => (p < count ? p : random() % count));
      maps.push([labels, count]);
    }
    for (const [labels, count] of maps) expect(wasm.buildSuperpixelMap(labels, count, image)).toEqual(buildSuperpixelMap(labels, count, image));
    const dot = { width: 1, height: 1, data: new Uint8Array([9, 8, 7, 255]) };
    expect(wasm.buildSuperpixelMap(new Int32Array(1), 1, dot)).toEqual(buildSuperpixelMap(new Int32Array(1), 1, dot));
  });

  it('makes slic give the same superpixel map, statistics included, for Uint8Array and Uint8ClampedArray pixels', async () => {
    for (const [name, width, height, k] of [
      ['astronaut.png', 500, 375, 500],
      ['coffee.png', 3, 2, 4],
      ['chelsea.png', 211, 99, 2000],
    ] as const) {
      const image = await photo(sharedDataPath('samples', name), width, height);
      useSlicWasm(undefined);
      const reference = slic(image, { k });
      useSlicWasm(wasm);
      const fast = slic(image, { k });
      const clamped = slic({ ...image, data: new Uint8ClampedArray(image.data) }, { k });
      useSlicWasm(undefined);
      expect(fast).toEqual(reference);
      expect(clamped).toEqual(reference);
    }
  });

  it('makes slicLabels give the same superpixels on BSDS500 photos, and can be switched off again', async () => {
    const dir = sharedDataPath('bsds500', 'images');
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.jpg')).sort().slice(0, 4);
    expect(files.length).toBe(4);
    for (const file of files) {
      const image = await photo(`${dir}/${file}`);
      useSlicWasm(undefined);
      const reference = slicLabels(image, { k: 500 });
      useSlicWasm(wasm);
      const fast = slicLabels(image, { k: 500 });
      useSlicWasm(undefined);
      expect(fast.count).toBe(reference.count);
      expect(fast.labels).toEqual(reference.labels);
    }
  });

  it('reuses its memory: a large photo after a small one and back gives the same labels', async () => {
    const small = await photo(sharedDataPath('samples', 'coffee.png'), 40, 30);
    const large = await photo(sharedDataPath('samples', 'astronaut.png'));
    const params = slicParams({ k: 300 });
    const first = wasm.clusters(small, params).labels;
    const firstConnected = wasm.connectedLabels(small, params, 10);
    wasm.clusters(large, params);
    wasm.connectedLabels(large, params, 10);
    expect(wasm.clusters(small, params).labels).toEqual(first);
    expect(wasm.connectedLabels(small, params, 10)).toEqual(firstConnected);
    const firstMap = wasm.superpixelMap(small, params, 10);
    wasm.superpixelMap(large, params, 10);
    expect(wasm.superpixelMap(small, params, 10)).toEqual(firstMap);
  });

  it('hands a prepared label array out once: the next map gets an array of its own', async () => {
    const image = await photo(sharedDataPath('samples', 'coffee.png'), 50, 40);
    const other = await photo(sharedDataPath('samples', 'astronaut.png'), 50, 40);
    const params = slicParams({ k: 30 });
    const expected = wasm.superpixelMap(image, params, 5);
    wasm.prepareLabels(50 * 40);
    const first = wasm.superpixelMap(image, params, 5);
    wasm.prepareLabels(7);
    const second = wasm.superpixelMap(other, params, 5);
    wasm.prepareLabels(50 * 40);
    const third = wasm.superpixelMap(other, params, 5);
    expect(first).toEqual(expected);
    expect(second.labels).not.toBe(first.labels);
    expect(third.labels).not.toBe(first.labels);
    expect(third).toEqual(second);
    expect(first.labels).toEqual(expected.labels);
  });
});
