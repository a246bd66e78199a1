import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeDepthPng } from './depthMap.ts';
import { backProject, gridStep, pinholeCamera } from './pinholeCamera.ts';
import { sharedDataPath } from './testData.ts';

describe('pinhole back-projection', () => {
  const depth = decodeDepthPng(readFileSync(sharedDataPath('nyuv2', 'depth_mm', '0003.png')));
  const png = decode(readFileSync(sharedDataPath('nyuv2', 'rgb', '0003.png')));
  const rgba = new Uint8Array(depth.width * depth.height * 4);
  for (let i = 0; i < depth.width * depth.height; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = png.data[png.channels * i + c];
    rgba[4 * i + 3] = 255;
  }

  it('a 60° camera: the image’s width spans 2·z·tan 30° at depth z', () => {
    const camera = pinholeCamera(640, 480);
    expect(camera.focal).toBeCloseTo(320 / Math.tan(Math.PI / 6), 9);
    const wall = { width: 640, height: 480, metres: new Float32Array(640 * 480).fill(2) };
    const cloud = backProject(wall, new Uint8Array(640 * 480 * 4), camera);
    const xs = cloud.positions.filter((_, i) => i % 3 === 0);
    const [lo, hi] = xs.reduce(([l, h], x) => [Math.min(l, x), Math.max(h, x)], [Infinity, -Infinity]);
    // Pixel centres: the outermost sit half a pixel inside the edges.
    expect(hi - lo).toBeCloseTo(2 * 2 * Math.tan(Math.PI / 6) * (639 / 640), 5);
  });

  it('on a real NYUv2 photo every point projects back to its pixel, with its depth and colour', () => {
    const camera = pinholeCamera(depth.width, depth.height, 58);
    const step = 3;
    const cloud = backProject(depth, rgba, camera, step);
    let expected = 0;
    let n = 0;
    for (let v = 0; v < depth.height; v += step) {
      for (let u = 0; u < depth.width; u += step) {
        const i = v * depth.width + u;
        if (!(depth.metres[i] > 0)) continue;
        expected++;
        // Slow reference: project the point with the pinhole equations and compare.
        const [x, y, z] = cloud.positions.subarray(3 * n, 3 * n + 3);
        expect(z).toBeCloseTo(depth.metres[i], 6);
        expect((x / z) * camera.focal + camera.cx).toBeCloseTo(u + 0.5, 3);
        expect((y / z) * camera.focal + camera.cy).toBeCloseTo(v + 0.5, 3);
        expect([...cloud.colors.subarray(3 * n, 3 * n + 3)]).toEqual([rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]]);
        n++;
      }
    }
    expect(cloud.count).toBe(expected);
    expect(cloud.count).toBeGreaterThan(30_000);
  });

  it('skips unmeasured pixels and picks the grid step for a point budget', () => {
    const holes = { ...depth, metres: depth.metres.map((m, i) => (i % 2 ? 0 : m)) };
    expect(backProject(holes, rgba, pinholeCamera(640, 480)).count).toBe(640 * 480 / 2);
    expect(gridStep(640, 480, 400_000)).toBe(1);
    expect(gridStep(640, 480, 200_000)).toBe(2);
    expect(gridStep(1024, 768, 200_000)).toBe(2);
    const step = gridStep(4032, 3024, 200_000);
    expect(Math.ceil(4032 / step) * Math.ceil(3024 / step)).toBeLessThanOrEqual(200_000);
    expect(Math.ceil(4032 / (step - 1)) * Math.ceil(3024 / (step - 1))).toBeGreaterThan(200_000);
  });
});
