import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionFeatures } from '../core/superpixelPosition.ts';
import { sharedDataPath } from '../core/testData.ts';
import { selectBackend } from './backend.ts';
import { DEPTH_MODEL_FILE, type DepthManifest } from './depthManifest.ts';
import type { DepthModel } from './depthModel.ts';
import { loadBackboneFromDisk, loadDepthModelFromDisk, modelsDir } from './loadFromDisk.ts';
import { DEPTH, depthEntry } from './modelEntries.ts';
import { ModelRegistry } from './modelRegistry.ts';
import { readImageRgba } from './nodeImage.ts';
import { superpixelFeatures, type SuperpixelFeatures } from './segmentationEngine.ts';

let model: DepthModel;
let photo: SuperpixelFeatures;

beforeAll(async () => {
  await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  model = await loadDepthModelFromDisk();
  photo = await superpixelFeatures(backbone, await readImageRgba(sharedDataPath('nyuv2', 'rgb', '0011.png')));
  backbone.dispose();
});

afterAll(() => photo.features.dispose());

describe('depth model (models/depth, through the registry)', () => {
  it('predicts plausible metres at the photo’s size, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const depth = await model.predict(photo);
    expect(tf.memory().numTensors).toBe(before);
    expect([depth.width, depth.height]).toEqual([640, 480]);
    const [lo, hi] = depth.metres.reduce<[number, number]>(([l, h], m) => [Math.min(l, m), Math.max(h, m)], [Infinity, 0]);
    expect(lo).toBeGreaterThan(0.5);
    expect(hi).toBeLessThan(10);
  });

  it('is the ridge of its file, term by term (slow reference on a few superpixels)', async () => {
    const logDepth = await model.predictLogDepth(photo);
    const zoomout = photo.features.arraySync();
    const position = positionFeatures(photo.map);
    const f = model.file;
    for (const k of [0, 100, photo.map.count - 1]) {
      const x = [...zoomout[k], ...position.subarray(3 * k, 3 * k + 3)];
      const expected = x.reduce((s, v, j) => (f.scale[j] === 0 ? s : s + (f.weights[j] * (v - f.mean[j])) / f.scale[j]), f.intercept);
      expect(logDepth[k]).toBeCloseTo(expected, 4);
    }
  });

  it('refuses a file whose sha256 is not the manifest’s', async () => {
    const manifest = JSON.parse(await readFile(join(modelsDir, 'depth.manifest.json'), 'utf8')) as DepthManifest;
    const tampered = new ModelRegistry(async () => new TextEncoder().encode('{}').buffer as ArrayBuffer).register(depthEntry(manifest));
    await expect(tampered.load(DEPTH)).rejects.toThrow(new RegExp(`${DEPTH_MODEL_FILE} is corrupted`));
  });
});
