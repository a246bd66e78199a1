import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DepthManifest } from './depthManifest.ts';
import { diskModelSource, modelsDir, readLabelAeManifest, readManifest } from './loadFromDisk.ts';
import { BACKBONE, DEPTH, LABEL_AE, SEG_DEPTH, TRAINABLE_BACKBONE, backboneEntry, depthEntry, labelAutoencoderEntry, segmentationDepthEntry, trainableBackboneEntry } from './modelEntries.ts';
import { ModelRegistry } from './modelRegistry.ts';
import type { SegmentationDepthManifest } from './segmentationDepthManifest.ts';

const manifest = async <T>(name: string) => JSON.parse(await readFile(join(modelsDir, name), 'utf8')) as T;

describe('ModelRegistry.tensors', () => {
  it("counts each loaded model's tensors as tfjs counts them, and nothing once they are unloaded", async () => {
    const backbone = await readManifest();
    const registry = new ModelRegistry(diskModelSource())
      .register(backboneEntry(backbone))
      .register(trainableBackboneEntry(backbone, 'none'))
      .register(labelAutoencoderEntry(await readLabelAeManifest()))
      .register(depthEntry(await manifest<DepthManifest>('depth.manifest.json')))
      .register(segmentationDepthEntry(await manifest<SegmentationDepthManifest>('seg-depth.manifest.json')));
    const base = tf.memory().numTensors;
    expect(registry.tensors()).toBe(0);
    for (const id of [BACKBONE, TRAINABLE_BACKBONE, LABEL_AE, DEPTH, SEG_DEPTH]) {
      await registry.load(id);
      expect(registry.tensors(), id).toBe(tf.memory().numTensors - base);
    }
    expect(registry.tensors()).toBeGreaterThan(100);
    registry.unloadAll();
    expect(registry.tensors()).toBe(0);
    expect(tf.memory().numTensors).toBe(base);
  }, 120_000);
});
