import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { asymmetricLogLoss, inverseClassFrequencyWeights } from './asymmetricLoss.ts';

describe('asymmetric loss (eq. 3.3.1)', () => {
  it('weights each class by the inverse of its frequency', () => {
    // Labels: three of class 0, one of class 2, unlabelled ignored: f = (3/4, 0, 1/4).
    expect(Array.from(inverseClassFrequencyWeights([0, 0, 0, 2, -1], 3))).toEqual([Math.fround(4 / 3), 0, 4]);
  });

  it('equals −(1/N) Σ (1/f_y) log p(y) on a hand-made example', async () => {
    await tf.setBackend('cpu');
    const logits = [
      [2, 0, 0],
      [0, 1, 0],
      [1, 1, 1],
      [0, 0, 3],
    ];
    const labels = [0, 0, 0, 2];
    const w = inverseClassFrequencyWeights(labels, 3);
    const logp = (row: number[], y: number) => row[y] - Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    const expected = -labels.reduce((s, y, i) => s + w[y] * logp(logits[i], y), 0) / labels.length;
    const before = tf.memory().numTensors;
    const loss = tf.tidy(() => asymmetricLogLoss(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'), tf.tensor1d(w)).dataSync()[0]);
    expect(loss).toBeCloseTo(expected, 5);
    expect(tf.memory().numTensors).toBe(before);
  });
});
