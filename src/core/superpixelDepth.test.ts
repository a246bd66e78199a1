import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDepthPng } from './depthMap.ts';
import { resizeBilinear } from './resizeBilinear.ts';
import { paintLogDepth, paintLogDepthAtSize, superpixelLogDepth } from './superpixelDepth.ts';
import { sharedDataPath } from './testData.ts';

describe('per-superpixel depth', () => {
  const depth = decodeDepthPng(readFileSync(sharedDataPath('nyuv2', 'depth_mm', '0007.png')));
  // A grid of 4 × 3 blocks stands in for superpixels: block k covers known pixels.
  const labels = Int32Array.from({ length: depth.width * depth.height }, (_, i) => Math.floor((i % depth.width) / 160) + 4 * Math.floor(Math.floor(i / depth.width) / 160));
  const map = { width: depth.width, height: depth.height, labels, count: 12 };

  it('averages log depth over each superpixel’s pixels of a real depth map (slow reference)', () => {
    const target = superpixelLogDepth(map, depth);
    for (const k of [0, 5, 11]) {
      const logs = [...depth.metres].filter((_, i) => labels[i] === k).map(Math.log);
      expect(target[k]).toBeCloseTo(logs.reduce((s, v) => s + v, 0) / logs.length, 9);
    }
  });

  it('leaves a superpixel without measured pixels NaN, and paints values back', () => {
    const holes = { ...depth, metres: depth.metres.map((m, i) => (labels[i] === 3 ? 0 : m)) };
    const target = superpixelLogDepth(map, holes);
    expect(Number.isNaN(target[3])).toBe(true);
    const painted = paintLogDepth(map, Float64Array.from({ length: 12 }, (_, k) => Math.log(k + 1)));
    expect(painted.metres[0]).toBeCloseTo(1, 6);
    expect(painted.metres[depth.width * depth.height - 1]).toBeCloseTo(12, 5);
  });

  it('paints at another size (the photo’s original) by resampling what it paints at the superpixels’ size', () => {
    const logs = superpixelLogDepth(map, depth);
    const painted = paintLogDepth(map, logs, 0.025);
    const same = paintLogDepthAtSize(map, logs, 0.025, depth.width, depth.height);
    expect(Buffer.from(same.metres.buffer).equals(Buffer.from(painted.metres.buffer))).toBe(true);
    const large = paintLogDepthAtSize(map, logs, 0.025, 1600, 1200);
    expect([large.width, large.height]).toEqual([1600, 1200]);
    const expected = resizeBilinear(painted.metres, depth.width, depth.height, 1600, 1200);
    expect(Buffer.from(large.metres.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });
});
