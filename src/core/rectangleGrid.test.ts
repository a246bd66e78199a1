import { describe, it, expect } from 'vitest';
import { rectangleGrid } from './rectangleGrid.ts';
import type { RgbaImage } from './types.ts';

const image = (width: number, height: number): RgbaImage => ({ width, height, data: new Uint8Array(width * height * 4) });

describe('rectangleGrid', () => {
  it('covers a photo with about the requested number of near-square rectangles', () => {
    const map = rectangleGrid(image(481, 321), 486);
    expect(map.count).toBe(27 * 18);
    for (let l = 0; l < map.count; l++) {
      const [x0, y0, x1, y1] = map.boxes.subarray(l * 4, l * 4 + 4);
      // A rectangle fills its bounding box exactly.
      expect(map.sizes[l]).toBe((x1 - x0 + 1) * (y1 - y0 + 1));
      expect(Math.abs(x1 - x0 - (y1 - y0))).toBeLessThanOrEqual(2);
    }
  });

  it('gives interior rectangles four neighbours and corner ones two', () => {
    const map = rectangleGrid(image(40, 40), 16);
    const degree = (l: number) => map.adjacencyOffsets[l + 1] - map.adjacencyOffsets[l];
    expect(map.count).toBe(16);
    expect(degree(0)).toBe(2);
    expect(degree(5)).toBe(4);
  });

  it('never asks for more rectangles than pixels', () => {
    expect(rectangleGrid(image(3, 2), 100).count).toBe(6);
  });
});
