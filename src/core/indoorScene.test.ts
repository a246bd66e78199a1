import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { dropLabels, indoorScene, labelMapStatistics, type IndoorScene } from './indoorScene.ts';
import { NYU13_CLASSES } from './labelSets.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { sharedDataPath } from './testData.ts';

const realLabels = sharedDataPath('nyuv2', 'labels13_test');
const index = (name: (typeof NYU13_CLASSES)[number]) => NYU13_CLASSES.indexOf(name);

/** Least-squares plane a·X = 1 through back-projected points; returns the RMS of a·X − 1 over |a| (metres). */
function planeResidual(scene: IndoorScene, cls: number): { points: number; rms: number } {
  const pts: number[][] = [];
  scene.classes.forEach((c, i) => {
    if (c !== cls) return;
    const z = scene.metres[i];
    const u = (i % scene.width) + 0.5 - scene.width / 2;
    const v = Math.floor(i / scene.width) + 0.5 - scene.height / 2;
    pts.push([(u / scene.focal) * z, (v / scene.focal) * z, z]);
  });
  // Normal equations (XᵀX) a = Xᵀ1 by Cramer's rule.
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const r = [0, 0, 0];
  for (const p of pts) for (let i = 0; i < 3; i++) {
    r[i] += p[i];
    for (let j = 0; j < 3; j++) m[i * 3 + j] += p[i] * p[j];
  }
  const det = (a: number[]) => a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  const d = det(m);
  const a = [0, 1, 2].map((k) => det(m.map((v, i) => (i % 3 === k ? r[Math.floor(i / 3)] : v))) / d);
  const norm = Math.hypot(a[0], a[1], a[2]);
  const sq = pts.reduce((s, p) => s + ((a[0] * p[0] + a[1] * p[1] + a[2] * p[2] - 1) / norm) ** 2, 0);
  return { points: pts.length, rms: Math.sqrt(sq / pts.length) };
}

describe('indoorScene', () => {
  it('is deterministic per seed and gives every pixel a class and a positive depth inside the room', () => {
    const a = indoorScene(seededRandom(7), 64, 48);
    const b = indoorScene(seededRandom(7), 64, 48);
    expect(a.classes).toEqual(b.classes);
    expect(a.metres).toEqual(b.metres);
    for (let i = 0; i < a.classes.length; i++) {
      expect(a.classes[i]).toBeGreaterThanOrEqual(1);
      expect(a.classes[i]).toBeLessThanOrEqual(13);
      expect(a.metres[i]).toBeGreaterThan(0);
      expect(a.metres[i]).toBeLessThan(Math.hypot(6, 7, 3));
    }
  });

  it('depth is along the optical axis: the floor back-projected through the pinhole is a plane', () => {
    const random = seededRandom(3);
    let checked = 0;
    for (let s = 0; s < 10; s++) {
      const scene = indoorScene(random, 96, 72);
      const floor = planeResidual(scene, index('floor') + 1);
      if (floor.points < 200) continue;
      // Ray distance (not z) would bend the plane by centimetres to decimetres at these angles.
      expect(floor.rms).toBeLessThan(1e-4);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('has the class statistics of real NYUv2 label maps, roughly', () => {
    const files = readdirSync(realLabels).slice(0, 150);
    const real = labelMapStatistics(files.map((f) => {
      const png = decodeIndexPng(readFileSync(join(realLabels, f)));
      return { width: png.width, height: png.height, classes: png.values };
    }));
    const random = seededRandom(1);
    const synthetic = labelMapStatistics(Array.from({ length: 150 }, () => indoorScene(random, 64, 48)));
    // The layout classes sit where they do in real photos (ceiling top, wall middle, floor bottom) …
    for (const name of ['ceiling', 'wall', 'floor'] as const) expect(Math.abs(synthetic.meanRow[index(name)] - real.meanRow[index(name)])).toBeLessThan(0.08);
    expect(synthetic.meanRow[index('ceiling')]).toBeLessThan(synthetic.meanRow[index('wall')]);
    expect(synthetic.meanRow[index('wall')]).toBeLessThan(synthetic.meanRow[index('floor')]);
    // … and the large classes cover about as much of the frame (within a factor of 2).
    for (const name of ['wall', 'floor', 'furniture', 'objects', 'chair', 'sofa', 'bed'] as const) {
      const ratio = synthetic.share[index(name)] / real.share[index(name)];
      expect(ratio, name).toBeGreaterThan(0.5);
      expect(ratio, name).toBeLessThan(2.8);
    }
  });
});

describe('dropLabels', () => {
  it('unlabels border pixels and patches only, about as much as real NYUv2 maps leave unlabelled', () => {
    const random = seededRandom(9);
    let dropped = 0;
    let total = 0;
    for (let s = 0; s < 50; s++) {
      const scene = indoorScene(random, 64, 48);
      const out = dropLabels(scene, random);
      out.forEach((c, i) => {
        if (c !== scene.classes[i]) {
          expect(c).toBe(0);
          dropped++;
        }
      });
      total += out.length;
    }
    // Real maps: 7–10 % unlabelled (labels13_test 0126–0128).
    expect(dropped / total).toBeGreaterThan(0.04);
    expect(dropped / total).toBeLessThan(0.2);
  });
});
