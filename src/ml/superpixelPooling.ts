// Thesis §3.3.1.1: a tap's map is upsampled to image resolution and averaged inside every superpixel. Here the
// "image" is a pooling grid of stride min(tap stride, 4) over the model input (labels sampled at cell centres),
// and upsampling is bilinear with half-pixel centres (tf.image.resizeBilinear's convention). Mean-of-bilinear
// is linear in the map, so it is done at the tap's native resolution as one sparse weighted segment sum on the
// backend — no upsampled tensor, no feature map read back into JS.
import * as tf from '@tensorflow/tfjs';
import type { Size } from '../core/modelInputSize.ts';
import type { SuperpixelMap } from '../core/types.ts';

/** Output row `segmentIds[k]` (sorted) gets `weights[k]` × input row `rows[k]`; every segment has a row. */
export interface SegmentPlan {
  segments: number;
  /** Each segment's weights are equal (a plain mean over its rows). */
  uniform: boolean;
  segmentIds: Int32Array;
  rows: Int32Array;
  weights: Float32Array;
  /** For a tap coarser than the pooling grid: the grid's plain-mean plan and size, to pool after upsampling. */
  grid?: { plan: SegmentPlan; height: number; width: number };
}

/** The finest grid pooling runs on: stride 4 holds ~20 cells per superpixel at k=500, 512-pixel input. */
export const MAX_GRID_STRIDE = 4;

/** Superpixel label at the centre of each cell of the stride-`stride` grid over the model input. */
export function labelGrid(map: SuperpixelMap, modelSize: Size, stride: number): Int32Array {
  const gw = modelSize.width / stride;
  const gh = modelSize.height / stride;
  const grid = new Int32Array(gw * gh);
  const sx = (stride * map.width) / modelSize.width;
  const sy = (stride * map.height) / modelSize.height;
  for (let gy = 0; gy < gh; gy++) {
    const row = Math.min(map.height - 1, Math.floor((gy + 0.5) * sy)) * map.width;
    for (let gx = 0; gx < gw; gx++) grid[gy * gw + gx] = map.labels[row + Math.min(map.width - 1, Math.floor((gx + 0.5) * sx))];
  }
  return grid;
}

/** Per output index d: the two source indices and the weight of the second (half-pixel centres, clamped). */
function bilinearAxis(outSize: number, inSize: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let d = 0; d < outSize; d++) {
    const src = Math.max(0, (d + 0.5) * scale - 0.5);
    lo[d] = Math.floor(src);
    hi[d] = Math.min(inSize - 1, Math.ceil(src));
    frac[d] = src - lo[d];
  }
  return { lo, hi, frac };
}

/**
 * The plan that averages a stride-`tapStride` map inside every superpixel. A superpixel too small to own a
 * grid cell takes the cell under its centroid, so every superpixel gets a row.
 */
export function poolingPlan(map: SuperpixelMap, modelSize: Size, tapStride: number): SegmentPlan {
  const g = Math.min(tapStride, MAX_GRID_STRIDE);
  const gw = modelSize.width / g;
  const gh = modelSize.height / g;
  const tw = modelSize.width / tapStride;
  const th = modelSize.height / tapStride;
  const grid = labelGrid(map, modelSize, g);
  const n = map.count;

  // Grid cells bucketed by superpixel (counting sort), centroid cells added for superpixels with none.
  const counts = new Int32Array(n);
  for (const s of grid) counts[s]++;
  const extra: number[] = [];
  for (let s = 0; s < n; s++) {
    if (counts[s] > 0) continue;
    const cx = Math.min(gw - 1, Math.floor((map.centroids[2 * s] * modelSize.width) / map.width / g));
    const cy = Math.min(gh - 1, Math.floor((map.centroids[2 * s + 1] * modelSize.height) / map.height / g));
    extra.push(s, cy * gw + cx);
    counts[s] = 1;
  }
  const start = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) start[s + 1] = start[s] + counts[s];
  const fill = start.slice(0, n);
  const cells = new Int32Array(start[n]);
  for (let i = 0; i < grid.length; i++) cells[fill[grid[i]]++] = i;
  for (let k = 0; k < extra.length; k += 2) cells[fill[extra[k]]++] = extra[k + 1];

  const means = meanPlan(start, counts, cells);
  if (tapStride <= g) return means;
  const ax = bilinearAxis(gw, tw);
  const ay = bilinearAxis(gh, th);
  const scratch = new Float64Array(tw * th);
  const touched: number[] = [];
  const segmentIds: number[] = [];
  const rows: number[] = [];
  const weights: number[] = [];
  const add = (cell: number, w: number) => {
    if (w === 0) return;
    if (scratch[cell] === 0) touched.push(cell);
    scratch[cell] += w;
  };
  for (let s = 0; s < n; s++) {
    for (let k = start[s]; k < start[s + 1]; k++) {
      const gx = cells[k] % gw;
      const gy = (cells[k] - gx) / gw;
      const fx = ax.frac[gx];
      const fy = ay.frac[gy];
      const r0 = ay.lo[gy] * tw;
      const r1 = ay.hi[gy] * tw;
      add(r0 + ax.lo[gx], (1 - fx) * (1 - fy));
      add(r0 + ax.hi[gx], fx * (1 - fy));
      add(r1 + ax.lo[gx], (1 - fx) * fy);
      add(r1 + ax.hi[gx], fx * fy);
    }
    const inv = 1 / counts[s];
    for (const cell of touched) {
      segmentIds.push(s);
      rows.push(cell);
      weights.push(scratch[cell] * inv);
      scratch[cell] = 0;
    }
    touched.length = 0;
  }
  return {
    segments: n,
    uniform: false,
    segmentIds: Int32Array.from(segmentIds),
    rows: Int32Array.from(rows),
    weights: Float32Array.from(weights),
    grid: { plan: means, height: gh, width: gw },
  };
}

/** Plain means over each superpixel's cells, bucketed from `start[s]` to `start[s + 1]`. */
function meanPlan(start: Int32Array, counts: Int32Array, cells: Int32Array): SegmentPlan {
  const n = counts.length;
  const weights = new Float32Array(cells.length);
  const segmentIds = new Int32Array(cells.length);
  for (let s = 0; s < n; s++) {
    weights.fill(1 / counts[s], start[s], start[s + 1]);
    segmentIds.fill(s, start[s], start[s + 1]);
  }
  return { segments: n, uniform: true, segmentIds, rows: cells, weights };
}

/**
 * GPU backends run UnsortedSegmentSum on the device, while their SparseSegmentSum reads back to the CPU.
 * WASM lacks UnsortedSegmentSum, and the CPU backend's loops once per segment over all rows (measured 20×
 * slower), so those two take SparseSegment* kernels, which need the sorted segment ids every plan has.
 */
function onDeviceSegmentSum(backend: string): boolean {
  return backend !== 'cpu' && tf.getKernel('UnsortedSegmentSum', backend) !== undefined;
}

/** Above this many entries a plan's dense weight matrix costs more to build and multiply than it saves. */
const DENSE_PLAN_LIMIT = 4_000_000;

/** Σ weights·rows per segment by gather + scale + segment sum: works for any plan on any backend. */
export function gatherSegmentSum(data: tf.Tensor2D, plan: SegmentPlan): tf.Tensor2D {
  return tf.tidy(() => {
    const weighted = tf.mul(tf.gather(data, tf.tensor1d(plan.rows, 'int32')), tf.tensor2d(plan.weights, [plan.weights.length, 1]));
    const ids = tf.tensor1d(plan.segmentIds, 'int32');
    if (onDeviceSegmentSum(tf.getBackend())) return tf.unsortedSegmentSum(weighted, ids, plan.segments) as tf.Tensor2D;
    return tf.sparse.sparseSegmentSum(weighted, tf.range(0, plan.weights.length, 1, 'int32'), ids) as tf.Tensor2D;
  });
}

/**
 * Σ weights·rows per segment, on the backend. Gathering thousands of wide rows is the slow step on WASM
 * (≈ 50 ms for 3 000 × 480), so: plans that are plain means (taps at stride ≤ 4) use SparseSegmentMean, which
 * reads rows in place; weighted plans small enough use one matMul with their dense [segments × rows] matrix.
 */
export function weightedSegmentSum(data: tf.Tensor2D, plan: SegmentPlan): tf.Tensor2D {
  const backend = tf.getBackend();
  if (plan.uniform && !onDeviceSegmentSum(backend)) {
    return tf.tidy(() => tf.sparse.sparseSegmentMean(data, tf.tensor1d(plan.rows, 'int32'), tf.tensor1d(plan.segmentIds, 'int32')) as tf.Tensor2D);
  }
  const rows = data.shape[0];
  if (!plan.uniform && plan.segments * rows <= DENSE_PLAN_LIMIT) {
    const dense = new Float32Array(plan.segments * rows);
    for (let k = 0; k < plan.rows.length; k++) dense[plan.segmentIds[k] * rows + plan.rows[k]] += plan.weights[k];
    return tf.tidy(() => tf.matMul(tf.tensor2d(dense, [plan.segments, rows]), data));
  }
  return gatherSegmentSum(data, plan);
}

/** Above this many values the upsampled copy of a tap costs more memory than pooling it in place is worth. */
const UPSAMPLED_LIMIT = 16_000_000;

/**
 * Whether a tap of `rows` cells pools faster upsampled: its dense plan multiplies segments × rows per channel,
 * the upsampled copy costs about 8 operations per grid cell (measured on WASM: stride 8 and 16 win, 32 not).
 */
function upsampleFirst(rows: number, channels: number, plan: SegmentPlan, grid: NonNullable<SegmentPlan['grid']>): boolean {
  const cells = grid.height * grid.width;
  return plan.segments * rows > 8 * cells && cells * channels <= UPSAMPLED_LIMIT;
}

/**
 * [1, h, w, C] tap → [superpixels, C] means, given the plan for its stride. Where a plain mean reads rows in
 * place (WASM, CPU), a coarse tap is upsampled to the grid first and takes the plain mean: on WASM that is 4–10×
 * faster than its weighted plan (the stride-8 and 16 taps of a 512² input at k = 500: ≈ 100 → 16 ms).
 */
export function poolTap(tap: tf.Tensor4D, plan: SegmentPlan): tf.Tensor2D {
  return tf.tidy(() => {
    const [, h, w, c] = tap.shape;
    const grid = plan.grid;
    if (grid && upsampleFirst(h * w, c, plan, grid) && !onDeviceSegmentSum(tf.getBackend())) {
      const upsampled = tf.image.resizeBilinear(tap, [grid.height, grid.width], false, true);
      return weightedSegmentSum(tf.reshape(upsampled, [grid.height * grid.width, c]), grid.plan);
    }
    return weightedSegmentSum(tf.reshape(tap, [h * w, c]), plan);
  });
}
