// The two baselines of the depth benchmark (issue 9, beside thesis Table 5.5): one depth everywhere, and
// depth by image row — the mean log depth of each normalised row over the training photos, which captures
// the floor-near, ceiling-far layout of indoor photos and nothing else.
import type { DepthMap } from './depthMap.ts';

/** exp(mean log depth) over every measured pixel of the training photos. */
export function fitConstantDepth(training: readonly DepthMap[]): number {
  let sum = 0, n = 0;
  for (const d of training) {
    for (const m of d.metres) {
      if (!(m > 0)) continue;
      sum += Math.log(m);
      n++;
    }
  }
  if (n === 0) throw new Error('no measured depth to fit');
  return Math.exp(sum / n);
}

export function constantDepth(width: number, height: number, metres: number): DepthMap {
  return { width, height, metres: new Float32Array(width * height).fill(metres) };
}

/** Mean log depth per band of normalised rows: band b covers rows with (y + ½)/height in [b/bands, (b+1)/bands). */
export function fitRowProfile(training: readonly DepthMap[], bands = 48): Float64Array {
  const sum = new Float64Array(bands);
  const count = new Float64Array(bands);
  for (const d of training) {
    for (let y = 0; y < d.height; y++) {
      const b = bandOf(y, d.height, bands);
      for (let x = 0; x < d.width; x++) {
        const m = d.metres[y * d.width + x];
        if (!(m > 0)) continue;
        sum[b] += Math.log(m);
        count[b]++;
      }
    }
  }
  if (count.some((c) => c === 0)) throw new Error(`the training photos leave a row band of ${bands} without depth`);
  return sum.map((s, b) => s / count[b]);
}

function bandOf(y: number, height: number, bands: number): number {
  return Math.min(bands - 1, Math.floor(((y + 0.5) / height) * bands));
}

export function rowProfileDepth(profile: Float64Array, width: number, height: number): DepthMap {
  const metres = new Float32Array(width * height);
  for (let y = 0; y < height; y++) metres.fill(Math.exp(profile[bandOf(y, height, profile.length)]), y * width, (y + 1) * width);
  return { width, height, metres };
}
