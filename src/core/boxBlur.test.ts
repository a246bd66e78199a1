import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { boxBlur } from './boxBlur.ts';

/** Slow reference: the mean over the window, pixel by pixel. */
function reference(values: number[], width: number, height: number, r: number): number[] {
  return values.map((_, i) => {
    const [x0, y0] = [i % width, Math.floor(i / width)];
    let sum = 0, n = 0;
    for (let y = Math.max(0, y0 - r); y <= Math.min(height - 1, y0 + r); y++) {
      for (let x = Math.max(0, x0 - r); x <= Math.min(width - 1, x0 + r); x++) {
        sum += values[y * width + x];
        n++;
      }
    }
    return sum / n;
  });
}

describe('boxBlur', () => {
  it('matches the window mean, borders included, for radii below and above the image size', () => {
    const rand = seededRandom(4);
    const [width, height] = [13, 7];
    const values = Array.from({ length: width * height }, () => rand() * 10);
    for (const r of [1, 3, 20]) {
      const got = boxBlur(values, width, height, r);
      reference(values, width, height, r).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 10));
    }
  });

  it('leaves the image as it is at radius 0', () => {
    expect([...boxBlur([1, 2, 3, 4], 2, 2, 0)]).toEqual([1, 2, 3, 4]);
  });
});
