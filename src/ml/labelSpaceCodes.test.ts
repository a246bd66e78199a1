import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxToWindow, classRegion, nearestWindows, windowToBox, type Box, type CodeGrid, type GridWindow } from '../core/labelSpaceSearch.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { sharedDataPath } from '../core/testData.ts';
import type { ClassMap, LabelAutoencoder } from './labelAutoencoder.ts';
import { encodeClassMaps } from './labelSpaceCodes.ts';
import { loadLabelAutoencoderFromDisk, readLabelAeManifest } from './loadFromDisk.ts';

function vocMap(id: string): ClassMap {
  const png = decodeIndexPng(readFileSync(sharedDataPath('voc2012-masks', 'SegmentationClass', id)));
  return { width: png.width, height: png.height, classes: Uint8Array.from(png.values) };
}

/** Fraction of the box's pixels of class c. */
function share(map: ClassMap, box: Box, c: number): number {
  let n = 0;
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) if (map.classes[y * map.width + x] === c) n++;
  return n / Math.max(1, (box.x1 - box.x0) * (box.y1 - box.y0));
}

/** The largest 4-connected object (not background, not void) of a map, found from probes 25 px apart. */
function largestObject(map: ClassMap) {
  let best: ReturnType<typeof classRegion> | undefined;
  for (let y = 0; y < map.height; y += 25) {
    for (let x = 0; x < map.width; x += 25) {
      const c = map.classes[y * map.width + x];
      if (c === 0 || c === 255) continue;
      const r = classRegion(map.classes, map.width, map.height, x, y);
      if (!best || r.size > best.size) best = r;
    }
  }
  return best;
}

let ae: LabelAutoencoder;

beforeAll(async () => {
  await tf.setBackend('wasm');
  ae = await loadLabelAutoencoderFromDisk();
});

afterAll(() => ae.dispose());

describe('encodeClassMaps', () => {
  it('gives each map the code it gets alone, across batches, holding numTensors flat', async () => {
    const manifest = await readLabelAeManifest();
    const maps = manifest.training.split.heldOut.slice(0, 10).map(vocMap);
    const together = await encodeClassMaps(ae, maps);
    const before = tf.memory().numTensors;
    const alone = [await encodeClassMaps(ae, [maps[0]]), await encodeClassMaps(ae, [maps[9]])].flat();
    expect(tf.memory().numTensors).toBe(before);
    expect(together).toHaveLength(10);
    const channels = manifest.architecture.bottleneck[2];
    expect(together[0]).toMatchObject({ rows: 6, cols: 6, channels });
    for (const [a, b] of [
      [together[0], alone[0]],
      [together[9], alone[1]],
    ]) {
      expect(a.values.length).toBe(6 * 6 * channels);
      for (let i = 0; i < a.values.length; i++) expect(a.values[i]).toBeCloseTo(b.values[i], 3);
    }
    await expect(encodeClassMaps(ae, [{ width: 1, height: 1, classes: Uint8Array.of(21) }])).rejects.toThrow(RangeError);
  });

  it('finds regions whose class matches the query’s far more often than windows taken at random (held-out VOC maps)', async () => {
    const manifest = await readLabelAeManifest();
    const maps = manifest.training.split.heldOut.slice(0, 40).map(vocMap);
    const grids: CodeGrid[] = await encodeClassMaps(ae, maps);
    let found = 0;
    let chance = 0;
    let queries = 0;
    maps.forEach((map, q) => {
      const object = largestObject(map);
      if (!object) return;
      const window = boxToWindow(object.box, map.width, map.height, grids[q]);
      if (window.rows * window.cols === 36) return;
      // Other maps only, as in Fig. 5.7 (the query's own map would offer its other objects too).
      // (the query's map holds at most 36 windows, so 37 matches include one from another map).
      const best = nearestWindows(grids, { grid: q, window }, 37).find((m) => m.grid !== q)!;
      const other = maps[best.grid];
      found += share(other, windowToBox(best.window, other.width, other.height, grids[best.grid]), object.classIndex);
      // Chance: the mean share of the class over every window of that size in every other map.
      let sum = 0;
      let n = 0;
      maps.forEach((m, i) => {
        if (i === q) return;
        for (let row = 0; row + window.rows <= 6; row++) {
          for (let col = 0; col + window.cols <= 6; col++) {
            const w: GridWindow = { row, col, rows: window.rows, cols: window.cols };
            sum += share(m, windowToBox(w, m.width, m.height, grids[i]), object.classIndex);
            n++;
          }
        }
      });
      chance += sum / n;
      queries++;
    });
    // Measured on these 40 maps: see docs/labelAutoencoder.md (label-space search).
    console.log(`label-space search, ${queries} queries: class share of the nearest region ${(found / queries).toFixed(3)}, at random ${(chance / queries).toFixed(3)}`);
    expect(queries).toBeGreaterThan(20);
    expect(found / queries).toBeGreaterThan(2 * (chance / queries));
  });
});
