import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { conv3x3 } from './conv3x3.ts';

/** The textbook sum over taps, in plain loops: the gradient reference. */
function referenceGradients(x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D): { dx: Float64Array; dw: Float64Array } {
  const [b, h, wd, ci] = x.shape;
  const co = w.shape[3];
  const xv = x.dataSync();
  const wv = w.dataSync();
  const dyv = dy.dataSync();
  const dx = new Float64Array(xv.length);
  const dw = new Float64Array(wv.length);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < wd; xx++)
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const sy = y + ky - 1;
            const sx = xx + kx - 1;
            if (sy < 0 || sy >= h || sx < 0 || sx >= wd) continue;
            for (let i = 0; i < ci; i++)
              for (let o = 0; o < co; o++) {
                const g = dyv[((n * h + y) * wd + xx) * co + o];
                dw[((ky * 3 + kx) * ci + i) * co + o] += xv[((n * h + sy) * wd + sx) * ci + i] * g;
                dx[((n * h + sy) * wd + sx) * ci + i] += wv[((ky * 3 + kx) * ci + i) * co + o] * g;
              }
          }
  return { dx, dw };
}

describe('conv3x3', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes conv2d and the exact input and filter gradients', () => {
    const x = tf.randomNormal([2, 7, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 7, 5, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const [dx, dw] = tf.grads((a: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(conv3x3(a as tf.Tensor4D, k as tf.Tensor4D), dy)))([x, w]);
      expect(tf.max(tf.abs(tf.sub(conv3x3(x, w), tf.conv2d(x, w, 1, 'same')))).dataSync()[0]).toBeLessThan(1e-4);
      const ref = referenceGradients(x, w, dy);
      const got = { dx: dx.dataSync(), dw: dw.dataSync() };
      for (const k of ['dx', 'dw'] as const) for (let i = 0; i < ref[k].length; i++) expect(got[k][i]).toBeCloseTo(ref[k][i], 3);

      const [, dwConst] = tf.grads((a: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(conv3x3(a as tf.Tensor4D, k as tf.Tensor4D, true), dy)))([x, w]);
      expect(tf.max(tf.abs(tf.sub(dwConst, dw))).dataSync()[0]).toBeLessThan(1e-4);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, dy]);
  });
});
