// The label-space regularizer (thesis §5.3.3) on real photos, the real backbone and the shipped autoencoder:
// the frozen decoder stays frozen, the path changes the head, and no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridLabels } from '../core/pixelGrid.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import { sharedDataPath } from '../core/testData.ts';
import type { Backbone } from './backbone.ts';
import { selectBackend } from './backend.ts';
import { LINEAR_HEAD } from './classifierHead.ts';
import type { LabelAutoencoder } from './labelAutoencoder.ts';
import { trainRegularizedPixelHead, type RegularizedPhoto, type RegularizerOptions } from './labelAeRegularizer.ts';
import { loadBackboneFromDisk, loadLabelAutoencoderFromDisk } from './loadFromDisk.ts';
import { readImageRgba } from './nodeImage.ts';
import { disposePixelSources, photoPixelSources } from './pixelFeatures.ts';

let backbone: Backbone;
let ae: LabelAutoencoder;
const photos: RegularizedPhoto[] = [];

beforeAll(async () => {
  await selectBackend('wasm');
  backbone = await loadBackboneFromDisk();
  ae = await loadLabelAutoencoderFromDisk();
  for (const stem of ['000000000139', '000000151938']) {
    const image = await readImageRgba(sharedDataPath('coco-mini', 'images', `${stem}.jpg`));
    const mask = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', `${stem}.png`)));
    const sources = await photoPixelSources(backbone, image, { longSide: 128, detections: true });
    const size = ae.config.size;
    photos.push({ sources, labels: gridLabels(mask.values, mask.width, mask.height, sources.grid), target: resizeNearest(mask.values, mask.width, mask.height, size, size) });
  }
});

afterAll(() => {
  for (const p of photos) disposePixelSources(p.sources);
  ae.dispose();
  backbone.dispose();
});

const options = (decoder: RegularizerOptions['decoder'], lambda = 1): RegularizerOptions => ({
  decoder,
  lambda,
  head: LINEAR_HEAD,
  epochs: 4,
  learningRate: 0.01,
  weightDecay: 0.01,
  seed: 2,
  cellsPerPhoto: 200,
});

async function kernel(head: Awaited<ReturnType<typeof trainRegularizedPixelHead>>): Promise<Float32Array> {
  return (await head.head.weights())[0].kernel;
}

describe('label autoencoder regularizer', () => {
  it('trains through the frozen decoder without touching it or leaking tensors; λ = 0 is no regularizer', async () => {
    const decoderBefore = (await ae.weights()['dec3/kernel'].data()).slice();
    const before = tf.memory().numTensors;
    const none = await trainRegularizedPixelHead(photos, 21, ae, options('none'));
    const zero = await trainRegularizedPixelHead(photos, 21, ae, options('frozen', 0));
    const frozen = await trainRegularizedPixelHead(photos, 21, ae, options('frozen'));
    expect(Array.from(await kernel(zero))).toEqual(Array.from(await kernel(none)));
    // The decoder path's gradient reaches the head: same seed, same cells, another head.
    const a = await kernel(none);
    const b = await kernel(frozen);
    expect(a.some((v, i) => Math.abs(v - b[i]) > 1e-6)).toBe(true);
    expect(Array.from(await ae.weights()['dec3/kernel'].data())).toEqual(Array.from(decoderBefore));
    for (const m of [none, zero, frozen]) m.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('unfrozen and random decoders train and clean up after themselves', async () => {
    const before = tf.memory().numTensors;
    for (const variant of ['unfrozen', 'random'] as const) {
      (await trainRegularizedPixelHead(photos, 21, ae, options(variant))).head.dispose();
      expect(tf.memory().numTensors, variant).toBe(before);
    }
  }, 120_000);
});
