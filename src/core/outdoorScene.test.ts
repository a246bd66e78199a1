import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { DEPTH_CLASSES } from './labelSets.ts';
import { groundAndSky, outdoorScene, SKY_METRES } from './outdoorScene.ts';
import { renderScene } from './sceneRaycast.ts';

const value = (name: (typeof DEPTH_CLASSES)[number]) => DEPTH_CLASSES.indexOf(name) + 1;

describe('outdoorScene', () => {
  it('an empty level view: the ground at depth h·f / (row below the horizon), the sky above at its cap', () => {
    const width = 64;
    const height = 48;
    const focal = 50;
    const h = 1.5;
    const scene = renderScene({ camera: [0, h, 0], yaw: 0.2, pitch: 0, focal }, [], groundAndSky, width, height);
    for (let v = 0; v < height; v++) {
      // Pixel centres below the principal point see the ground, by similar triangles, until it is beyond the cap.
      const below = v + 0.5 - height / 2;
      const ground = below > 0 && (h * focal) / below < SKY_METRES;
      for (let u = 0; u < width; u++) {
        const i = v * width + u;
        expect(scene.classes[i]).toBe(value(ground ? 'ground' : 'sky'));
        // Stored as float32: relative error within its precision.
        expect(Math.abs(scene.metres[i] / (ground ? (h * focal) / below : SKY_METRES) - 1)).toBeLessThan(1e-6);
      }
    }
  });

  it('is deterministic per seed; every pixel is an outdoor class at a depth within the cap; sky above, ground below', () => {
    const a = outdoorScene(seededRandom(11), 64, 48);
    expect(outdoorScene(seededRandom(11), 64, 48)).toEqual(a);
    const random = seededRandom(5);
    const rows = new Map<number, number[]>();
    let outside = 0;
    for (let s = 0; s < 40; s++) {
      const scene = outdoorScene(random, 64, 48);
      scene.classes.forEach((c, i) => {
        if (c < value('ground') || c > value('car') || !(scene.metres[i] > 0 && scene.metres[i] <= SKY_METRES)) outside++;
        if (!rows.has(c)) rows.set(c, []);
        rows.get(c)!.push(Math.floor(i / 64) / 48);
      });
    }
    expect(outside).toBe(0);
    const meanRow = (name: (typeof DEPTH_CLASSES)[number]) => rows.get(value(name))!.reduce((x, y) => x + y) / rows.get(value(name))!.length;
    expect(meanRow('sky')).toBeLessThan(meanRow('building'));
    expect(meanRow('building')).toBeLessThan(meanRow('car'));
    expect(meanRow('car')).toBeLessThan(meanRow('ground'));
    // Every class shows up in forty scenes.
    for (const name of ['ground', 'sky', 'building', 'tree', 'person', 'car'] as const) expect(rows.get(value(name))?.length ?? 0).toBeGreaterThan(50);
  });
});
