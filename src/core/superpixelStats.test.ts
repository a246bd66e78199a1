import { describe, it, expect } from 'vitest';
import { buildSuperpixelMap } from './superpixelStats.ts';
import { slicLabels } from './slic.ts';
import type { RgbaImage } from './types.ts';

function noiseImage(width: number, height: number, seed: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    // Smooth gradients plus noise so SLIC finds non-trivial shapes.
    data[i] = (i % 4 === 3 ? 255 : (((i >> 2) % width) * 3 + (s % 40))) & 255;
  }
  return { width, height, data };
}

describe('buildSuperpixelMap', () => {
  it('matches a brute-force recount of sizes, centroids, boxes, colours and adjacency', () => {
    const image = noiseImage(50, 30, 7);
    const { labels, count } = slicLabels(image, { k: 40 });
    const map = buildSuperpixelMap(labels, count, image);
    for (let l = 0; l < count; l++) {
      const pixels: [number, number, number][] = [];
      const neighbours = new Set<number>();
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          const p = y * image.width + x;
          if (labels[p] !== l) continue;
          pixels.push([x, y, p]);
          for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
            if (nx < 0 || ny < 0 || nx >= image.width || ny >= image.height) continue;
            const other = labels[ny * image.width + nx];
            if (other !== l) neighbours.add(other);
          }
        }
      }
      expect(map.sizes[l]).toBe(pixels.length);
      const mean = (f: (t: [number, number, number]) => number) => pixels.reduce((a, t) => a + f(t), 0) / pixels.length;
      expect(map.centroids[l * 2]).toBeCloseTo(mean((t) => t[0]), 4);
      expect(map.centroids[l * 2 + 1]).toBeCloseTo(mean((t) => t[1]), 4);
      for (let c = 0; c < 3; c++) expect(map.meanColors[l * 3 + c]).toBeCloseTo(mean((t) => image.data[t[2] * 4 + c]), 3);
      expect([...map.boxes.subarray(l * 4, l * 4 + 4)]).toEqual([
        Math.min(...pixels.map((t) => t[0])),
        Math.min(...pixels.map((t) => t[1])),
        Math.max(...pixels.map((t) => t[0])),
        Math.max(...pixels.map((t) => t[1])),
      ]);
      const csr = [...map.adjacencyIndex.subarray(map.adjacencyOffsets[l], map.adjacencyOffsets[l + 1])];
      expect(csr).toEqual([...neighbours].sort((a, b) => a - b));
    }
  });

  it('refuses a label map of another size or labels out of range', () => {
    const image = noiseImage(4, 4, 1);
    expect(() => buildSuperpixelMap(new Int32Array(15), 1, image)).toThrow(RangeError);
    expect(() => buildSuperpixelMap(new Int32Array(16).fill(2), 2, image)).toThrow(RangeError);
  });
});
