// The wasm gradient kernels against tfjs's cpu backend, an independent implementation: the gradients of
// Σ r ⊙ conv(x, W) with respect to x and W, for ordinary and depthwise convolutions over the shapes, strides,
// paddings and channel multipliers the backbone uses and a few it does not (tfjs has no gradient for dilated
// depthwise convolutions on any backend).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import './wasmGradientKernels.ts';
import { missingTrainingKernels } from './trainableBackbone.ts';

interface Case {
  depthwise: boolean;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
  dilation: number;
}

const CASES: Case[] = [
  { depthwise: false, x: [2, 9, 7, 5], filter: [1, 1, 5, 6], stride: 1, pad: 'same', dilation: 1 },
  { depthwise: false, x: [1, 10, 11, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same', dilation: 1 },
  { depthwise: false, x: [2, 8, 9, 4], filter: [3, 2, 4, 3], stride: 1, pad: 'valid', dilation: 1 },
  { depthwise: true, x: [2, 9, 8, 6], filter: [3, 3, 6, 1], stride: 1, pad: 'same', dilation: 1 },
  { depthwise: true, x: [1, 11, 10, 4], filter: [5, 5, 4, 1], stride: 2, pad: 'same', dilation: 1 },
  { depthwise: true, x: [2, 9, 9, 3], filter: [3, 3, 3, 2], stride: 1, pad: 'valid', dilation: 1 },
  { depthwise: true, x: [1, 12, 7, 2], filter: [3, 3, 2, 3], stride: 2, pad: 'valid', dilation: 1 },
];

/** Seeded values in [-1, 1], with exact zeros now and then (ReLU outputs are full of them). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const v = (s / 2 ** 31) * 2 - 1;
    return Math.abs(v) < 0.1 ? 0 : v;
  });
}

function gradients(c: Case, seed: number): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), seed), c.x);
    const w = tf.tensor4d(values(c.filter.reduce((a, b) => a * b), seed + 1), c.filter);
    const conv = (xx: tf.Tensor4D, ww: tf.Tensor4D) =>
      c.depthwise ? tf.depthwiseConv2d(xx, ww, c.stride, c.pad, 'NHWC', c.dilation) : tf.conv2d(xx, ww, c.stride, c.pad, 'NHWC', c.dilation);
    const outShape = conv(x, w).shape;
    const r = tf.tensor4d(values(outShape.reduce((a, b) => a * b), seed + 2), outShape);
    const [dx, dw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => conv(xx as tf.Tensor4D, ww as tf.Tensor4D).mul(r).sum())([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('gradient kernels tfjs-backend-wasm lacks', () => {
  beforeAll(() => tf.setBackend('wasm'));
  afterAll(() => tf.setBackend('wasm'));

  it('leave no kernel training needs missing on wasm', () => {
    expect(missingTrainingKernels('wasm')).toEqual([]);
  });

  it.each(CASES.map((c, i) => [`${c.depthwise ? 'depthwise' : 'conv2d'} x ${c.x.join('×')} filter ${c.filter.join('×')} stride ${c.stride} ${c.pad} dilation ${c.dilation}`, c, i] as const))(
    'match the cpu backend: %s',
    async (_, c, i) => {
      await tf.setBackend('cpu');
      const reference = gradients(c, 7 + i);
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const ours = gradients(c, 7 + i);
      expect(tf.memory().numTensors).toBe(before);
      const scale = Math.max(...reference.dw.map(Math.abs), ...reference.dx.map(Math.abs));
      expect(maxDiff(ours.dw, reference.dw)).toBeLessThanOrEqual(1e-5 * scale);
      expect(maxDiff(ours.dx, reference.dx)).toBeLessThanOrEqual(1e-5 * scale);
    },
  );
});
