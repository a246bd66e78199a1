import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageRgba } from './nodeImage.ts';
import { Backbone, disposeOutputs } from './backbone.ts';
import { diskModelSource, loadBackboneFromDisk, loadOriginalGraph, modelsDir, readManifest } from './loadFromDisk.ts';
import { BACKBONE, backboneEntry } from './modelEntries.ts';
import { ModelRegistry, type ModelFileSource } from './modelRegistry.ts';

let backbone: Backbone;

beforeAll(async () => {
  await tf.setBackend('wasm');
  backbone = await loadBackboneFromDisk();
});

async function astronaut(size: { width: number; height: number }): Promise<tf.Tensor4D> {
  return Backbone.prepareInput(await readImageRgba(join(modelsDir, '../public/samples/astronaut.png')), size);
}

describe('converted backbone', () => {
  it('gives the original graph’s keypoints and wh at 512×512', async () => {
    const original = await loadOriginalGraph();
    const x = await astronaut({ width: 512, height: 512 });
    const [kp0, wh0] = original.execute(x, ['tower_0/keypoints', 'tower_0/wh']) as tf.Tensor[];
    const out = backbone.forward(x);
    const diff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
    expect(diff(kp0, out.keypoints)).toBe(0);
    expect(diff(wh0, out.wh)).toBe(0);
    tf.dispose([kp0, wh0, x]);
    disposeOutputs(out);
    original.dispose();
  });

  it.each([
    [512, 512],
    [384, 288],
  ])('returns every tap at its stride for a %i×%i input', async (width, height) => {
    const x = await astronaut({ width, height });
    const out = backbone.forward(x);
    out.taps.forEach((t, i) => {
      const spec = backbone.manifest.taps[i];
      expect(t.shape).toEqual([1, height / spec.stride, width / spec.stride, spec.channels]);
    });
    expect(out.keypoints.shape).toEqual([1, height / 4, width / 4, 80]);
    expect(out.wh.shape).toEqual([1, height / 4, width / 4, 4]);
    expect(out.scene.shape).toEqual([backbone.manifest.scene.channels]);
    tf.dispose(x);
    disposeOutputs(out);
  });

  it('rejects sides that are not multiples of 32', async () => {
    const x = tf.zeros([1, 100, 128, 3]) as tf.Tensor4D;
    expect(() => backbone.forward(x)).toThrow(/multiples of 32/);
    x.dispose();
  });

  it('finds the person in the astronaut photo', async () => {
    const x = await astronaut({ width: 512, height: 512 });
    const out = backbone.forward(x);
    const peaks = tf.tidy(() => out.keypoints.max([0, 1, 2]).arraySync() as number[]);
    const best = peaks.indexOf(Math.max(...peaks));
    expect(backbone.manifest.heatmaps.classes[best]).toBe('person');
    expect(peaks[best]).toBeGreaterThan(0.4);
    tf.dispose(x);
    disposeOutputs(out);
  });

  it('refuses corrupted weights with a clear message, through the model registry', async () => {
    const manifest = await readManifest();
    const disk = diskModelSource();
    const tamper = (edit: (b: Uint8Array) => ArrayBuffer): ModelFileSource => async (path, p) => {
      const bytes = await disk(path, p);
      return path.endsWith('.bin') ? edit(new Uint8Array(bytes.slice(0))) : bytes;
    };
    const flipped = tamper((b) => ((b[1000] ^= 0xff), b.buffer as ArrayBuffer));
    const truncated = tamper((b) => b.buffer.slice(0, 1000) as ArrayBuffer);
    for (const source of [flipped, truncated]) {
      const statuses: string[] = [];
      const registry = new ModelRegistry(source, (s) => statuses.push(s.state)).register(backboneEntry(manifest));
      await expect(registry.load(BACKBONE)).rejects.toThrow(/model\.bin is corrupted/);
      expect(statuses.at(-1)).toBe('error');
      expect(registry.statuses()[0].error).toMatch(/corrupted/);
    }
  });

  it('leaks no tensors over 20 forward passes', async () => {
    const x = await astronaut({ width: 128, height: 96 });
    disposeOutputs(backbone.forward(x));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) disposeOutputs(backbone.forward(x));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
