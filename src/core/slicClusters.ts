// SLIC's clustering loop (thesis §2.1.1.1, Algorithm 1 lines 3–13, distance of eq. 2.1.1) before
// connectivity is enforced. Tuned for speed; slicReference.ts is the plain version the tests compare it with.
import { CENTRE_STRIDE, gridInterval, gridSeeds } from './slicSeeds.ts';

export interface ClusterParams {
  /** Desired number of superpixels. */
  k: number;
  /** Compactness: weight of the spatial distance relative to the Lab distance. */
  m: number;
  maxIterations: number;
  /** Stop once the centres move less than this many pixels on average. */
  residualThreshold: number;
}

export interface Clusters {
  /** Nearest-centre index per pixel; -1 where no centre's window ever reached the pixel. */
  labels: Int32Array;
  /** L, a, b, x, y per centre as the last assignment used them. */
  centres: Float64Array;
  iterations: number;
}

/**
 * Lines 6–11: every pixel goes to the nearest centre (eq. 2.1.1) among those whose 2S×2S window covers it.
 * The distance is computed in float32, every operation rounded (Math.fround), as the WebAssembly kernel's
 * f32x4 lanes compute it, so both give the same labels (slicWasm.ts).
 */
function assign(
  lab: Float32Array,
  width: number,
  height: number,
  centres: Float64Array,
  step: number,
  ratio: number,
  labels: Int32Array,
  dist: Float32Array,
): void {
  const f = Math.fround;
  dist.fill(Infinity);
  const count = centres.length / CENTRE_STRIDE;
  const ratio32 = f(ratio);
  for (let c = 0, o = 0; c < count; c++, o += CENTRE_STRIDE) {
    const cl = f(centres[o]);
    const ca = f(centres[o + 1]);
    const cb = f(centres[o + 2]);
    const cx = centres[o + 3];
    const cy = centres[o + 4];
    const cx32 = f(cx);
    const x0 = Math.max(0, Math.ceil(cx - step));
    const x1 = Math.min(width - 1, Math.floor(cx + step));
    const y0 = Math.max(0, Math.ceil(cy - step));
    const y1 = Math.min(height - 1, Math.floor(cy + step));
    for (let y = y0; y <= y1; y++) {
      const dy = f(y - f(cy));
      const dy2 = f(dy * dy);
      // Pruning on the spatial term (D ≥ (m/S)·d_xy) measured slower: its branch is unpredictable, while
      // both square roots pipeline well. One compare-and-store per candidate is what remains.
      for (let x = x0, p = y * width + x0, q = p * 3; x <= x1; x++, p++, q += 3) {
        const dx = f(x - cx32);
        const dl = f(lab[q] - cl);
        const da = f(lab[q + 1] - ca);
        const db = f(lab[q + 2] - cb);
        const d = f(f(Math.sqrt(f(f(f(dl * dl) + f(da * da)) + f(db * db)))) + f(ratio32 * f(Math.sqrt(f(f(dx * dx) + dy2)))));
        if (d < dist[p]) {
          dist[p] = d;
          labels[p] = c;
        }
      }
    }
  }
}

function addRun(sums: Float64Array, label: number, l: number, a: number, b: number, xs: number, y: number, length: number): void {
  if (label < 0) return;
  const o = label * 6;
  sums[o] += l;
  sums[o + 1] += a;
  sums[o + 2] += b;
  sums[o + 3] += xs;
  sums[o + 4] += y * length;
  sums[o + 5] += length;
}

/** Lines 12–13: centres become the mean [l a b x y] of their pixels; returns the mean spatial shift. */
function update(
  lab: Float32Array,
  width: number,
  height: number,
  labels: Int32Array,
  centres: Float64Array,
  sums: Float64Array,
): number {
  sums.fill(0);
  // Labels come in long horizontal runs: summing a run in locals and flushing it once per run avoids most
  // of the scattered read-modify-writes (it also changes the Lab summation order, so the centres match
  // the reference only to rounding).
  for (let y = 0, p = 0; y < height; y++) {
    let run = labels[p];
    let l = 0;
    let a = 0;
    let b = 0;
    let xs = 0;
    let start = 0;
    for (let x = 0; x < width; x++, p++) {
      const c = labels[p];
      if (c !== run) {
        addRun(sums, run, l, a, b, xs, y, x - start);
        run = c;
        l = a = b = xs = 0;
        start = x;
      }
      const q = p * 3;
      l += lab[q];
      a += lab[q + 1];
      b += lab[q + 2];
      xs += x;
    }
    addRun(sums, run, l, a, b, xs, y, width - start);
  }
  const count = centres.length / CENTRE_STRIDE;
  let shift = 0;
  for (let c = 0; c < count; c++) {
    const s = c * 6;
    const size = sums[s + 5];
    if (size === 0) continue;
    const o = c * CENTRE_STRIDE;
    const nx = sums[s + 3] / size;
    const ny = sums[s + 4] / size;
    const dx = nx - centres[o + 3];
    const dy = ny - centres[o + 4];
    shift += Math.sqrt(dx * dx + dy * dy);
    centres[o] = sums[s] / size;
    centres[o + 1] = sums[s + 1] / size;
    centres[o + 2] = sums[s + 2] / size;
    centres[o + 3] = nx;
    centres[o + 4] = ny;
  }
  return shift / count;
}

/** SLIC clustering of a CIELAB image (interleaved L, a, b) without the connectivity step. */
export function slicClusters(lab: Float32Array, width: number, height: number, params: ClusterParams): Clusters {
  const step = gridInterval(width, height, params.k);
  const ratio = params.m / step;
  const centres = gridSeeds(lab, width, height, params.k);
  const labels = new Int32Array(width * height).fill(-1);
  const dist = new Float32Array(width * height);
  const sums = new Float64Array((centres.length / CENTRE_STRIDE) * 6);
  let iterations = 0;
  for (;;) {
    assign(lab, width, height, centres, step, ratio, labels, dist);
    // After the last assignment the labels are final; updating centres nobody uses would cost a pass.
    if (++iterations === params.maxIterations) break;
    if (update(lab, width, height, labels, centres, sums) < params.residualThreshold) break;
  }
  return { labels, centres, iterations };
}
