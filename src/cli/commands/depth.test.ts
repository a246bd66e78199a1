import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeDepthPng } from '../../core/depthMap.ts';
import { depthMetrics, medianScaled } from '../../core/depthMetrics.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const nyu = join(repoRoot, '../shared/data/nyuv2');

describe('cli depth', () => {
  it('writes 16-bit millimetres at the upright size of real NYUv2 photos, in a plausible range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-depth-'));
    try {
      const rotated = join(dir, 'rotated.jpg');
      // EXIF orientation 6 (rotate 90°): the depth map must have the upright size, 240×320.
      await sharp(join(nyu, 'rgb', '0010.png')).resize(320, 240).jpeg().withMetadata({ orientation: 6 }).toFile(rotated);
      const out = join(dir, 'out');
      const run = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'depth', join(nyu, 'rgb', '0005.png'), rotated, '--out', out], { cwd: repoRoot, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);

      const depth = decodeDepthPng(readFileSync(join(out, '0005.png')));
      expect([depth.width, depth.height]).toEqual([640, 480]);
      const [lo, hi] = depth.metres.reduce(([l, h], m) => [Math.min(l, m), Math.max(h, m)], [Infinity, 0]);
      expect(lo).toBeGreaterThan(0.5);
      expect(hi).toBeLessThan(10);
      // Trained on this photo among others, so only a loose check that it is a depth map of this room.
      const truth = decodeDepthPng(readFileSync(join(nyu, 'depth_mm', '0005.png')));
      expect(depthMetrics(medianScaled(depth.metres, truth.metres), truth.metres).delta1).toBeGreaterThan(0.5);

      const upright = decodeDepthPng(readFileSync(join(out, 'rotated.png')));
      expect([upright.width, upright.height]).toEqual([240, 320]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
