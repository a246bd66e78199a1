import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beyondDepthPng, decodeDepthPng, depthToMillimetres, encodeDepthPng, MAX_DEPTH_PNG_METRES } from './depthMap.ts';
import { sharedDataPath } from './testData.ts';

describe('depth PNG', () => {
  it('reads a real NYUv2 depth map in metres and writes it back bit for bit', () => {
    const depth = decodeDepthPng(readFileSync(sharedDataPath('nyuv2', 'depth_mm', '0003.png')));
    expect([depth.width, depth.height]).toEqual([640, 480]);
    // SOURCE.txt: in-filled depth, 769..9961 mm over the set.
    const [lo, hi] = depth.metres.reduce(([l, h], m) => [Math.min(l, m), Math.max(h, m)], [Infinity, 0]);
    expect(lo).toBeGreaterThanOrEqual(0.769 - 1e-6);
    expect(hi).toBeLessThanOrEqual(9.961 + 1e-6);
    const again = decodeDepthPng(encodeDepthPng(depth));
    expect(depthToMillimetres(again)).toEqual(depthToMillimetres(depth));
  });

  it('keeps positive depths above 0 mm and clamps to 16 bits', () => {
    expect([...depthToMillimetres({ width: 4, height: 1, metres: Float32Array.of(0, 0.0001, 1.2345, 99) })]).toEqual([0, 1, 1235, 65535]);
  });

  it('counts the pixels beyond what 16-bit millimetres hold, which are written at the limit', () => {
    const depth = { width: 4, height: 1, metres: Float32Array.of(2, 65.5, 80, 200) };
    expect(beyondDepthPng(depth)).toBe(2);
    expect(Array.from(decodeDepthPng(encodeDepthPng(depth)).metres, (m) => Math.round(m * 1000))).toEqual([2000, 65500, MAX_DEPTH_PNG_METRES * 1000, MAX_DEPTH_PNG_METRES * 1000]);
  });
});
