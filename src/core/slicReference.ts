// A slow, plainly written SLIC clustering (thesis §2.1.1.1, Algorithm 1, eq. 2.1.1), kept only so tests can
// check the optimised slicClusters.ts against it: every pixel is compared with every centre, no pruning.
import type { ClusterParams, Clusters } from './slicClusters.ts';
import { CENTRE_STRIDE, gridInterval, gridSeeds } from './slicSeeds.ts';

interface Centre {
  l: number;
  a: number;
  b: number;
  x: number;
  y: number;
}

/** Eq. 2.1.1, D = d_lab + (m/S)·d_xy, in float32 arithmetic: every operand and every result rounded to float32. */
function distance32(pixel: [number, number, number], x: number, y: number, ctr: Centre, ratio: number): number {
  const f = Math.fround;
  const sub = (a: number, b: number) => f(f(a) - f(b));
  const square = (v: number) => f(v * v);
  const dl = sub(pixel[0], ctr.l);
  const da = sub(pixel[1], ctr.a);
  const db = sub(pixel[2], ctr.b);
  const dLab = f(Math.sqrt(f(f(square(dl) + square(da)) + square(db))));
  const dXY = f(Math.sqrt(f(square(sub(x, ctr.x)) + square(sub(y, ctr.y)))));
  return f(dLab + f(f(ratio) * dXY));
}

export function slicReference(lab: Float32Array, width: number, height: number, params: ClusterParams): Clusters {
  const S = gridInterval(width, height, params.k);
  const seeds = gridSeeds(lab, width, height, params.k);
  const centres: Centre[] = [];
  for (let o = 0; o < seeds.length; o += CENTRE_STRIDE) {
    centres.push({ l: seeds[o], a: seeds[o + 1], b: seeds[o + 2], x: seeds[o + 3], y: seeds[o + 4] });
  }
  const labels = new Int32Array(width * height).fill(-1);
  let iterations = 0;
  let residual = Infinity;
  while (residual >= params.residualThreshold && iterations < params.maxIterations) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        let best = Infinity;
        for (let c = 0; c < centres.length; c++) {
          const ctr = centres[c];
          const inWindow = x >= ctr.x - S && x <= ctr.x + S && y >= ctr.y - S && y <= ctr.y + S;
          if (!inWindow) continue;
          const D = distance32([lab[p * 3], lab[p * 3 + 1], lab[p * 3 + 2]], x, y, ctr, params.m / S);
          if (D < best) {
            best = D;
            labels[p] = c;
          }
        }
      }
    }
    iterations++;
    if (iterations === params.maxIterations) break;
    residual = 0;
    for (let c = 0; c < centres.length; c++) {
      const sum = { l: 0, a: 0, b: 0, x: 0, y: 0, n: 0 };
      for (let p = 0; p < labels.length; p++) {
        if (labels[p] !== c) continue;
        sum.l += lab[p * 3];
        sum.a += lab[p * 3 + 1];
        sum.b += lab[p * 3 + 2];
        sum.x += p % width;
        sum.y += Math.floor(p / width);
        sum.n++;
      }
      if (sum.n === 0) continue;
      const moved = { x: sum.x / sum.n - centres[c].x, y: sum.y / sum.n - centres[c].y };
      residual += Math.sqrt(moved.x * moved.x + moved.y * moved.y);
      centres[c] = { l: sum.l / sum.n, a: sum.a / sum.n, b: sum.b / sum.n, x: sum.x / sum.n, y: sum.y / sum.n };
    }
    residual /= centres.length;
  }
  const flat = new Float64Array(centres.length * CENTRE_STRIDE);
  centres.forEach((c, i) => flat.set([c.l, c.a, c.b, c.x, c.y], i * CENTRE_STRIDE));
  return { labels, centres: flat, iterations };
}
