import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'fast-png';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeDepthPng } from '../../core/depthMap.ts';
import { decodeIndexPng } from '../../core/pngCodec.ts';
import { depthMetrics, medianScaled } from '../../core/depthMetrics.ts';
import { seededRandom } from '../../core/clickProtocol.ts';
import { indoorScene } from '../../core/indoorScene.ts';
import { outdoorScene } from '../../core/outdoorScene.ts';
import { NYU13_CLASSES } from '../../core/labelSets.ts';

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

  it('--model reads a depth model file (as the studio exports a fine-tuned one) in place of the shipped one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-depth-model-'));
    try {
      // The shipped model with its intercept raised by ln 2: every depth exactly doubles.
      const shipped = JSON.parse(readFileSync(join(repoRoot, 'models/depth/ridge.json'), 'utf8'));
      const doubled = join(dir, 'doubled.json');
      writeFileSync(doubled, JSON.stringify({ ...shipped, intercept: shipped.intercept + Math.log(2), finetuned: { photos: ['a.png'] } }));
      const photo = join(nyu, 'rgb', '0007.png');
      const cli = (...extra: string[]) => spawnSync('npx', ['tsx', 'src/cli/main.ts', 'depth', photo, ...extra], { cwd: repoRoot, encoding: 'utf8' });
      expect(cli('--out', join(dir, 'a')).status).toBe(0);
      expect(cli('--out', join(dir, 'b'), '--model', doubled).status).toBe(0);
      const a = decodeDepthPng(readFileSync(join(dir, 'a', '0007.png'))).metres;
      const b = decodeDepthPng(readFileSync(join(dir, 'b', '0007.png'))).metres;
      a.forEach((m, i) => expect(Math.abs(b[i] - 2 * m)).toBeLessThanOrEqual(0.0015));

      const broken = join(dir, 'broken.json');
      writeFileSync(broken, JSON.stringify({ weights: [1, 2] }));
      const run = cli('--out', join(dir, 'c'), '--model', broken);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('not a depth model');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('--segmentation reads NYUv2 label maps alone: procedural rooms close to their true depth, a real map at its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-seg-depth-'));
    try {
      // Five rooms from a seed far from the training's, at twice the net's working size.
      const random = seededRandom(424242);
      const rooms = Array.from({ length: 5 }, (_, i) => ({ scene: indoorScene(random, 128, 96), file: join(dir, `room${i}.png`) }));
      for (const { scene, file } of rooms) writeFileSync(file, encode({ width: 128, height: 96, data: scene.classes, depth: 8, channels: 1 }));
      const real = join(nyu, 'labels13_test', '0173.png');
      const out = join(dir, 'out');
      const run = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'depth', '--segmentation', ...rooms.map((r) => r.file), real, '--out', out], { cwd: repoRoot, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);

      const metrics = rooms.map(({ scene }, i) => {
        const depth = decodeDepthPng(readFileSync(join(out, `room${i}.png`)));
        expect([depth.width, depth.height]).toEqual([128, 96]);
        return depthMetrics(medianScaled(depth.metres, scene.metres), scene.metres);
      });
      const delta1 = metrics.reduce((s, m) => s + m.delta1, 0) / metrics.length;
      console.log(`procedural rooms through cli depth --segmentation: δ<1.25 ${metrics.map((m) => m.delta1.toFixed(3)).join(', ')}; mean ${delta1.toFixed(3)}`);
      expect(delta1).toBeGreaterThan(0.7);

      const labels = decodeIndexPng(readFileSync(real));
      const depth = decodeDepthPng(readFileSync(join(out, '0173.png')));
      expect([depth.width, depth.height]).toEqual([labels.width, labels.height]);
      // Where the real map has floor and wall, the floor is nearer on average (the camera looks across a room).
      const mean = (label: number) => {
        let sum = 0;
        let n = 0;
        labels.values.forEach((v, i) => {
          if (v === label) {
            sum += depth.metres[i];
            n++;
          }
        });
        return sum / n;
      };
      expect(mean(NYU13_CLASSES.indexOf('floor') + 1)).toBeLessThan(mean(NYU13_CLASSES.indexOf('wall') + 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('--segmentation --classes outdoor reads the outdoor preset\'s label maps: sky far, ground near, close to the true depth', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-seg-depth-outdoor-'));
    try {
      const random = seededRandom(515151);
      const offset = NYU13_CLASSES.length;
      const scenes = Array.from({ length: 5 }, (_, i) => ({ scene: outdoorScene(random, 128, 96), file: join(dir, `street${i}.png`) }));
      // The outdoor preset's indices: background 0, then ground, sky, … (depth values 14.. less 13).
      for (const { scene, file } of scenes) writeFileSync(file, encode({ width: 128, height: 96, data: scene.classes.map((v) => v - offset), depth: 8, channels: 1 }));
      const out = join(dir, 'out');
      const run = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'depth', '--segmentation', '--classes', 'outdoor', ...scenes.map((s) => s.file), '--out', out], { cwd: repoRoot, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const depths = scenes.map((_, i) => decodeDepthPng(readFileSync(join(out, `street${i}.png`))).metres);
      const metrics = scenes.map(({ scene }, i) => depthMetrics(medianScaled(depths[i], scene.metres), scene.metres));
      const delta1 = metrics.reduce((s, m) => s + m.delta1, 0) / metrics.length;
      console.log(`procedural outdoor scenes through cli depth --segmentation --classes outdoor: δ<1.25 ${metrics.map((m) => m.delta1.toFixed(3)).join(', ')}; mean ${delta1.toFixed(3)}`);
      // Five scenes vary a lot (segmentationDepthNet.test.ts scores 40): this checks the path, not the net.
      expect(delta1).toBeGreaterThan(0.45);
      scenes.forEach(({ scene }, i) => {
        const mean = (name: 'sky' | 'ground') => {
          const value = NYU13_CLASSES.length + 1 + ['ground', 'sky'].indexOf(name);
          const at = [...scene.classes.keys()].filter((p) => scene.classes[p] === value);
          return at.reduce((sum, p) => sum + depths[i][p], 0) / at.length;
        };
        expect(mean('sky')).toBeGreaterThan(2 * mean('ground'));
      });

      const wrong = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'depth', '--segmentation', '--classes', 'cityscapes', scenes[0].file, '--out', out], { cwd: repoRoot, encoding: 'utf8' });
      expect(wrong.status).not.toBe(0);
      expect(wrong.stderr).toContain('expected nyu, outdoor or depth');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
