import { describe, expect, it } from 'vitest';
import { rectangleGrid } from './rectangleGrid.ts';
import { paintSuperpixels, superpixelLabelsFromScribbles } from './scribbles.ts';

describe('scribbles', () => {
  // Four 2×2 superpixels on a 4×4 image.
  const map = rectangleGrid({ width: 4, height: 4, data: new Uint8Array(64) }, 4);

  it('labels touched superpixels by majority and leaves the rest at -1', () => {
    const s = new Uint8Array(16).fill(255);
    s[0] = 2;
    s[1] = 5;
    s[4] = 5; // superpixel 0: two votes for 5, one for 2
    s[15] = 1; // superpixel 3
    expect(Array.from(superpixelLabelsFromScribbles(map, s))).toEqual([5, -1, -1, 1]);
    expect(() => superpixelLabelsFromScribbles(map, new Uint8Array(3))).toThrow(RangeError);
  });

  it('paints superpixel classes back to pixels', () => {
    const pixels = paintSuperpixels(map, [1, 2, 3, 4]);
    expect(Array.from(pixels.slice(0, 4))).toEqual([1, 1, 2, 2]);
    expect(pixels[15]).toBe(4);
  });
});
