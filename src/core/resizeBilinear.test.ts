import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDepthPng } from './depthMap.ts';
import { resizeBilinear } from './resizeBilinear.ts';
import { sharedDataPath } from './testData.ts';

// The obvious definition, one output pixel at a time: sample the source at the output pixel's centre.
function reference(src: ArrayLike<number>, w: number, h: number, x: number, y: number, ow: number, oh: number): number {
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const sx = clamp(((x + 0.5) * w) / ow - 0.5, w);
  const sy = clamp(((y + 0.5) * h) / oh - 0.5, h);
  const at = (i: number, j: number) => src[clamp(j, h) * w + clamp(i, w)];
  const [i, j] = [Math.floor(sx), Math.floor(sy)];
  const [tx, ty] = [sx - i, sy - j];
  return (1 - ty) * ((1 - tx) * at(i, j) + tx * at(i + 1, j)) + ty * ((1 - tx) * at(i, j + 1) + tx * at(i + 1, j + 1));
}

describe('bilinear resampling', () => {
  const depth = decodeDepthPng(readFileSync(sharedDataPath('nyuv2', 'depth_mm', '0005.png')));

  it('matches the per-pixel definition on a real depth map, up and down', () => {
    for (const [ow, oh] of [
      [997, 731],
      [213, 160],
    ]) {
      const out = resizeBilinear(depth.metres, depth.width, depth.height, ow, oh);
      for (let k = 0; k < 500; k++) {
        const x = (k * 7919) % ow;
        const y = (k * 104729) % oh;
        expect(out[y * ow + x]).toBeCloseTo(reference(depth.metres, depth.width, depth.height, x, y, ow, oh), 4);
      }
    }
  });

  it('is the identity at the same size and keeps a linear ramp linear inside', () => {
    expect(resizeBilinear(depth.metres, depth.width, depth.height, depth.width, depth.height)).toEqual(depth.metres);
    const ramp = Float32Array.from({ length: 40 }, (_, i) => i % 10);
    const out = resizeBilinear(ramp, 10, 4, 40, 8);
    // Output centre x + 0.5 maps to source (x + 0.5) / 4 − 0.5, clamped to [0, 9].
    for (const x of [3, 10, 20, 35]) expect(out[3 * 40 + x]).toBeCloseTo(Math.min(9, Math.max(0, (x + 0.5) / 4 - 0.5)), 5);
  });
});
