import { describe, expect, it } from 'vitest';
import { vocPalette } from '../core/labelSets.ts';
import { rectangleGrid } from '../core/rectangleGrid.ts';
import { slicLabels } from '../core/slic.ts';
import { IGNORE_LABEL } from '../core/types.ts';
import { boundaryOverlay, classIndexOverlay, labelColour, meanColourOverlay, randomColourOverlay } from './superpixelOverlay.ts';

function randomLabels(width: number, height: number, count: number, seed: number): Int32Array {
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  // Runs of equal labels, so boundaries are sparse as in real label maps.
  const labels = new Int32Array(width * height);
  let l = 0;
  for (let p = 0; p < labels.length; p++) {
    if (rand() < 0.2) l = Math.floor(rand() * count);
    labels[p] = l;
  }
  return labels;
}

function gradientImage(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      data[p] = (x * 255) / width;
      data[p + 1] = (y * 255) / height;
      data[p + 2] = x > width / 2 ? 200 : 20;
      data[p + 3] = 255;
    }
  }
  return { width, height, data };
}

/** Brute force: look at every 4-neighbour pair and mark the pixel of the pair that is left of / above the other. */
function bruteBoundaries(labels: Int32Array, width: number, height: number): Set<number> {
  const marked = new Set<number>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const [dx, dy] of [[1, 0], [0, 1], [-1, 0], [0, -1]]) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        if (labels[ny * width + nx] === labels[y * width + x]) continue;
        marked.add(dx + dy > 0 ? y * width + x : ny * width + nx);
      }
    }
  }
  return marked;
}

describe('boundaryOverlay', () => {
  const cases = [
    { name: 'random runs', width: 37, height: 23, labels: randomLabels(37, 23, 9, 1) },
    { name: 'rectangles', width: 40, height: 30, labels: rectangleGrid(gradientImage(40, 30), 12).labels },
    { name: 'SLIC', width: 64, height: 48, labels: slicLabels(gradientImage(64, 48), { k: 20 }).labels },
    { name: 'one column', width: 1, height: 9, labels: randomLabels(1, 9, 3, 5) },
  ];
  for (const { name, width, height, labels } of cases) {
    it(`marks exactly the pixels where labels change (${name})`, () => {
      const out = boundaryOverlay(labels, width, height, [1, 2, 3]);
      const expected = bruteBoundaries(labels, width, height);
      expect(expected.size).toBeGreaterThan(0);
      for (let p = 0; p < width * height; p++) {
        const on = out.data[p * 4 + 3] === 255;
        expect(on, `pixel ${p % width},${Math.floor(p / width)}`).toBe(expected.has(p));
        expect([...out.data.subarray(p * 4, p * 4 + 4)]).toEqual(on ? [1, 2, 3, 255] : [0, 0, 0, 0]);
      }
    });
  }

  it('draws nothing on a single region', () => {
    expect(boundaryOverlay(new Int32Array(12), 4, 3).data.every((v) => v === 0)).toBe(true);
  });

  it('rejects a label map of the wrong size', () => {
    expect(() => boundaryOverlay(new Int32Array(5), 2, 3)).toThrow(/expected 2×3/);
  });
});

describe('fill overlays', () => {
  const width = 5;
  const height = 4;
  const labels = randomLabels(width, height, 4, 3);

  it('paints each superpixel its mean colour, opaque', () => {
    const means = Float32Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    const out = meanColourOverlay(labels, width, height, means);
    labels.forEach((l, p) => expect([...out.data.subarray(p * 4, p * 4 + 4)]).toEqual([...means.subarray(l * 3, l * 3 + 3), 255]));
  });

  it('gives each label a stable, distinct-looking colour', () => {
    const out = randomColourOverlay(labels, width, height, 4);
    labels.forEach((l, p) => expect([...out.data.subarray(p * 4, p * 4 + 3)]).toEqual([...labelColour(l)]));
    const colours = new Set(Array.from({ length: 500 }, (_, l) => labelColour(l).join()));
    expect(colours.size).toBeGreaterThan(490);
    for (let l = 0; l < 500; l++) expect(Math.min(...labelColour(l))).toBeGreaterThanOrEqual(64);
  });

  it('draws class indices in the palette and leaves 255 transparent', () => {
    const classes = Uint8Array.from([0, 15, IGNORE_LABEL, 1]);
    const out = classIndexOverlay(classes, 2, 2, vocPalette());
    expect([...out.data]).toEqual([0, 0, 0, 255, 192, 128, 128, 255, 0, 0, 0, 0, 128, 0, 0, 255]);
  });
});
