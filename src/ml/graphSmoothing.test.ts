// The graph smoothing of findings.md checked by hand on a three-superpixel chain.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rectangleGrid } from '../core/rectangleGrid.ts';
import { similarityWeights, smoothProbabilities } from './graphSmoothing.ts';

// Three 1×1 superpixels in a row: 0 – 1 – 2.
const map = rectangleGrid({ width: 3, height: 1, data: new Uint8Array(12) }, 3);

describe('graph smoothing', () => {
  it('row-normalizes exp(−d²/mean d²) over neighbours', async () => {
    await tf.setBackend('cpu');
    const inputs = tf.tensor2d([[0], [1], [3]]);
    const w = await similarityWeights(inputs, map);
    inputs.dispose();
    // Edges (CSR order): 0→1 d²=1, 1→0 d²=1, 1→2 d²=4, 2→1 d²=4; mean 2.5.
    expect(Array.from(map.adjacencyIndex)).toEqual([1, 0, 2, 1]);
    const a = Math.exp(-1 / 2.5);
    const b = Math.exp(-4 / 2.5);
    expect(Array.from(w).map((v) => +v.toFixed(6))).toEqual([1, +(a / (a + b)).toFixed(6), +(b / (a + b)).toFixed(6), 1]);
  });

  it('iterates p ← (1−λ)p₀ + λ·W·p', () => {
    const p0 = Float32Array.from([1, 0, 0.5, 0.5, 0, 1]);
    const w = Float32Array.from([1, 0.5, 0.5, 1]);
    const one = smoothProbabilities(p0, 2, map, w, { lambda: 0.5, steps: 1 });
    expect(Array.from(one)).toEqual([0.75, 0.25, 0.5, 0.5, 0.25, 0.75]);
    const two = smoothProbabilities(p0, 2, map, w, { lambda: 0.5, steps: 2 });
    expect(Array.from(two)).toEqual([0.75, 0.25, 0.5, 0.5, 0.25, 0.75]);
  });
});
