// Median forward time of the backbone at given input sizes on the active backend, used by the studio's
// "Benchmark" button and `npm run bench:model`. Each run waits for the outputs' data so lazy backends
// (WebGL, WebGPU) are timed to completion, not just to submission.
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from './backbone.ts';
import { disposeOutputs } from './backbone.ts';

export interface ForwardTiming {
  width: number;
  height: number;
  medianMs: number;
  runs: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function benchmarkForward(backbone: Backbone, sizes: { width: number; height: number }[], runs: number, warmup = 2): Promise<ForwardTiming[]> {
  const timings: ForwardTiming[] = [];
  for (const { width, height } of sizes) {
    const input = tf.randomUniform([1, height, width, 3], 0, 255) as tf.Tensor4D;
    const times: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const out = backbone.forward(input);
      // Every tap is upstream of the heatmaps, so their data marks the end of the whole pass.
      await out.keypoints.data();
      if (i >= warmup) times.push(performance.now() - t0);
      disposeOutputs(out);
    }
    input.dispose();
    timings.push({ width, height, medianMs: median(times), runs });
  }
  return timings;
}
