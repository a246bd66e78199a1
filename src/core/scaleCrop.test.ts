import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { cropCellLabels, cropToPhoto, photoToCrop, randomScaleCrop, type Crop } from './scaleCrop.ts';

describe('random scale-crops (thesis §3.5 augmentation)', () => {
  it('stay inside the photo, span the scales and aspects asked for, and mirror about half the time', () => {
    const random = seededRandom(3);
    const [width, height] = [640, 480];
    let flips = 0;
    let smallest = Infinity;
    let largest = 0;
    for (let i = 0; i < 2000; i++) {
      const c = randomScaleCrop(width, height, 640, random);
      expect(c.x0).toBeGreaterThanOrEqual(0);
      expect(c.y0).toBeGreaterThanOrEqual(0);
      expect(c.x0 + c.width).toBeLessThanOrEqual(width + 1e-9);
      expect(c.y0 + c.height).toBeLessThanOrEqual(height + 1e-9);
      // At scale s and aspect a the window is long/s·√a by long/s/√a before clipping (long = 640): its larger
      // side is at least 320 / √(4/3), its area at least 320².
      expect(Math.max(c.width, c.height)).toBeGreaterThanOrEqual(640 / 2 / Math.sqrt(4 / 3) - 1e-9);
      smallest = Math.min(smallest, c.width * c.height);
      largest = Math.max(largest, c.width * c.height);
      if (c.flip) flips++;
    }
    expect(flips / 2000).toBeGreaterThan(0.45);
    expect(flips / 2000).toBeLessThan(0.55);
    expect(largest).toBe(width * height);
    expect(smallest).toBeGreaterThanOrEqual(320 * 320 - 1e-6);
    expect(smallest).toBeLessThan(320 * 320 * 1.05);
  });

  it('map points between photo and crop both ways, mirrored or not', () => {
    for (const flip of [false, true]) {
      const crop: Crop = { x0: 100, y0: 50, width: 200, height: 100, flip };
      const [x, y] = cropToPhoto(crop, 0.25, 0.5);
      expect([x, y]).toEqual([flip ? 250 : 150, 100]);
      expect(photoToCrop(crop, x, y)).toEqual([0.25, 0.5]);
    }
  });

  it('label each grid cell with the photo pixel under its centre', () => {
    // A 4×2 photo, classes 0..7 by pixel; the right half, mirrored, on a 2×2 grid.
    const labels = Int32Array.from({ length: 8 }, (_, i) => i);
    const crop: Crop = { x0: 2, y0: 0, width: 2, height: 2, flip: true };
    expect(Array.from(cropCellLabels(labels, 4, 2, crop, { cols: 2, rows: 2 }))).toEqual([3, 2, 7, 6]);
    expect(Array.from(cropCellLabels(labels, 4, 2, { ...crop, flip: false }, { cols: 2, rows: 2 }))).toEqual([2, 3, 6, 7]);
  });
});
