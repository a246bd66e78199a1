import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import { sharedDataPath } from '../core/testData.ts';
import { reconstructionLoss, trainStep } from './labelAeTraining.ts';
import { LabelAutoencoder, toWorkingSize } from './labelAutoencoder.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('label autoencoder training', () => {
  it('scores cross-entropy on non-void pixels only, as a plain loop does', () => {
    const [b, s, k] = [2, 3, 4];
    const logits = tf.randomNormal([b, s, s, k], 0, 2, 'float32', 7) as tf.Tensor4D;
    const labels = Int32Array.from({ length: b * s * s }, (_, i) => (i % 5 === 0 ? 255 : i % k));
    const loss = tf.tidy(() => reconstructionLoss(logits, tf.tensor3d(labels, [b, s, s], 'int32')).dataSync()[0]);
    const l = logits.dataSync();
    let sum = 0;
    let n = 0;
    labels.forEach((c, p) => {
      if (c === 255) return;
      const row = Array.from(l.subarray(p * k, (p + 1) * k));
      const max = Math.max(...row);
      const logZ = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
      sum += logZ - row[c];
      n++;
    });
    expect(loss).toBeCloseTo(sum / n, 4);
    logits.dispose();
  });

  it('Adam steps on real VOC maps lower their loss and leak no tensors', () => {
    const size = 32;
    const maps = ['2007_000033.png', '2007_000042.png'].map((id) => {
      const png = decodeIndexPng(readFileSync(sharedDataPath('voc2012-masks', 'SegmentationClass', id)));
      const map = { width: png.width, height: png.height, classes: Uint8Array.from(png.values) };
      return { input: toWorkingSize(map, size), target: resizeNearest(map.classes, map.width, map.height, size, size) };
    });
    const batch = { inputs: maps.map((m) => m.input), targets: maps.map((m) => m.target) };
    const ae = LabelAutoencoder.create({ variant: 32, classes: 21, size }, 1);
    const optimizer = tf.train.adam(0.003);
    const first = trainStep(ae, optimizer, batch);
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 30; i++) last = trainStep(ae, optimizer, batch);
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first / 2);
    optimizer.dispose();
    ae.dispose();
  });
});
