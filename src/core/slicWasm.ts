// SLIC's colour conversion, clustering and connectivity (thesis §2.1.1.1, Algorithm 1, eq. 2.1.1) in
// WebAssembly SIMD (assembly/, compiled by `npm run build:wasm`). Same labels as the TypeScript version, which
// stays the reference (slicWasm.test.ts); the caller brings the module's bytes (a fetch in the worker, a file in Node).
// The superpixel statistics run there too: in the browser the JavaScript version was most of SLIC's time on a
// dropped photo (docs/slic.md).
import { F_TABLE, LINEAR } from './cielab.ts';
import type { ClusterParams, Clusters } from './slicClusters.ts';
import { CENTRE_STRIDE, gridInterval, seedGrid } from './slicSeeds.ts';
import type { RgbaImage, SuperpixelMap } from './types.ts';
import type { ConnectedLabels } from './enforceConnectivity.ts';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  toLab(rgba: number, n: number, linear: number, fTable: number, l: number, a: number, b: number): void;
  seeds(l: number, a: number, b: number, width: number, height: number, nx: number, ny: number, centres: number): void;
  assign(l: number, a: number, b: number, width: number, height: number, centres: number, count: number, step: number, ratio: number, labels: number, dist: number): void;
  update(l: number, a: number, b: number, width: number, height: number, labels: number, centres: number, count: number, sums: number): number;
  clearLabels(labels: number, n: number): void;
  enforceConnectivity(labels: number, l: number, a: number, b: number, width: number, height: number, minSize: number, scratch: number, out: number): number;
  superpixelStats(labels: number, rgba: number, width: number, height: number, count: number, sizes: number, boxes: number, centroids: number, meanColors: number, offsets: number, scratch: number): number;
}

/** Byte offsets of one image's buffers in the module's memory. */
interface Layout {
  rgba: number;
  linear: number;
  fTable: number;
  l: number;
  a: number;
  b: number;
  labels: number;
  dist: number;
  centres: number;
  sums: number;
  out: number;
  /** Where the connectivity step's buffers start (it grows memory from there as it needs). */
  scratch: number;
}

const PAGE = 65536;
/** SIMD reads at most three pixels past a window's last one; every buffer gets this much slack. */
const SLACK = 32;

export interface LabClusters extends Clusters {
  /** CIELAB, interleaved, as `rgbaToLab` gives it: the module keeps three planes, this copy is for comparing. */
  lab: Float32Array;
}

export class SlicWasm {
  /** The next superpixelMap's label array, already written to once (prepareLabels). */
  private spare?: Int32Array;

  private constructor(private readonly x: Exports) {}

  /**
   * Allocates the label array of the next superpixelMap of `n` pixels and writes to it, ahead of time: a fresh
   * array's first write to each page is what costs (2–4 ms for 500×375 in Chromium here, the copy itself
   * 0.05), and it belongs in a moment the worker has nothing to do rather than in the next SLIC.
   */
  prepareLabels(n: number): void {
    if (this.spare?.length !== n) this.spare = new Int32Array(n).fill(-1);
  }

  static async instantiate(bytes: BufferSource): Promise<SlicWasm> {
    const { instance } = await WebAssembly.instantiate(bytes, {
      env: {
        abort: () => {
          throw new Error('SLIC WebAssembly aborted');
        },
      },
    });
    return new SlicWasm(instance.exports as unknown as Exports);
  }

  private layout(width: number, height: number, count: number): Layout {
    const n = width * height;
    let at = (this.x.heapBase() + 15) & ~15;
    const take = (bytes: number) => {
      const start = at;
      at = (at + bytes + SLACK + 15) & ~15;
      return start;
    };
    const layout: Layout = {
      rgba: take(n * 4),
      linear: take(LINEAR.byteLength),
      fTable: take(F_TABLE.byteLength),
      l: take(n * 4),
      a: take(n * 4),
      b: take(n * 4),
      labels: take(n * 4),
      dist: take(n * 4),
      centres: take(count * CENTRE_STRIDE * 8),
      sums: take(count * 6 * 8),
      out: take(n * 4),
      scratch: at,
    };
    this.reserve(at);
    return layout;
  }

  private reserve(end: number): void {
    const memory = this.x.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
  }

  /** rgbaToLab + slicClusters of the TypeScript version, in one call. */
  clusters(image: RgbaImage, params: ClusterParams): LabClusters {
    const { at, n, count, iterations } = this.cluster(image, params);
    const buffer = this.x.memory.buffer;
    const planes = [at.l, at.a, at.b].map((plane) => new Float32Array(buffer, plane, n));
    const lab = new Float32Array(n * 3);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) lab[p * 3 + c] = planes[c][p];
    return {
      labels: new Int32Array(buffer.slice(at.labels, at.labels + n * 4)),
      centres: new Float64Array(buffer.slice(at.centres, at.centres + count * CENTRE_STRIDE * 8)),
      lab,
      iterations,
    };
  }

  /** clusters + enforceConnectivity of the TypeScript version, with nothing copied out but the labels. */
  connectedLabels(image: RgbaImage, params: ClusterParams, minSize: number): ConnectedLabels {
    const { at, n } = this.cluster(image, params);
    const count = this.x.enforceConnectivity(at.labels, at.l, at.a, at.b, image.width, image.height, minSize, at.scratch, at.out);
    return { labels: new Int32Array(this.x.memory.buffer.slice(at.out, at.out + n * 4)), count };
  }

  /** slic of the TypeScript version: connected labels and buildSuperpixelMap's statistics, all in WebAssembly. */
  superpixelMap(image: RgbaImage, params: ClusterParams, minSize: number): SuperpixelMap {
    const { at } = this.cluster(image, params);
    const count = this.x.enforceConnectivity(at.labels, at.l, at.a, at.b, image.width, image.height, minSize, at.scratch, at.out);
    return this.statistics(at, image.width, image.height, count);
  }

  /** buildSuperpixelMap of the TypeScript version, for dense labels 0..count-1 computed elsewhere. */
  buildSuperpixelMap(labels: Int32Array, count: number, image: RgbaImage): SuperpixelMap {
    const { width, height } = image;
    const n = width * height;
    if (labels.length !== n) throw new RangeError('label map and image differ in size');
    const at = this.layout(width, height, 1);
    const bytes = new Uint8Array(this.x.memory.buffer);
    bytes.set(image.data.subarray(0, n * 4), at.rgba);
    new Int32Array(this.x.memory.buffer, at.out, n).set(labels);
    return this.statistics(at, width, height, count);
  }

  /** The labels at `at.out` and the photo at `at.rgba` made a SuperpixelMap, copied out of the module's memory. */
  private statistics(at: Layout, width: number, height: number, count: number): SuperpixelMap {
    const n = width * height;
    let end = at.scratch;
    const take = (bytes: number) => {
      const start = end;
      end = (end + bytes + 15) & ~15;
      return start;
    };
    const sizes = take(count * 4);
    const boxes = take(count * 16);
    const centroids = take(count * 8);
    const meanColors = take(count * 12);
    const offsets = take((count + 1) * 4);
    this.reserve(end);
    const index = this.x.superpixelStats(at.out, at.rgba, width, height, count, sizes, boxes, centroids, meanColors, offsets, end);
    const buffer = this.x.memory.buffer;
    const adjacencyOffsets = new Int32Array(buffer.slice(offsets, offsets + (count + 1) * 4));
    return {
      width,
      height,
      labels: this.takeLabels(new Int32Array(buffer, at.out, n)),
      count,
      adjacencyOffsets,
      adjacencyIndex: new Int32Array(buffer.slice(index, index + adjacencyOffsets[count] * 4)),
      sizes: new Int32Array(buffer.slice(sizes, sizes + count * 4)),
      centroids: new Float32Array(buffer.slice(centroids, centroids + count * 8)),
      boxes: new Int32Array(buffer.slice(boxes, boxes + count * 16)),
      meanColors: new Float32Array(buffer.slice(meanColors, meanColors + count * 12)),
    };
  }

  private takeLabels(source: Int32Array): Int32Array {
    const labels = this.spare?.length === source.length ? this.spare : new Int32Array(source.length);
    this.spare = undefined;
    labels.set(source);
    return labels;
  }

  private cluster(image: RgbaImage, params: ClusterParams): { at: Layout; n: number; count: number; iterations: number } {
    const { width, height } = image;
    const n = width * height;
    const step = gridInterval(width, height, params.k);
    const { nx, ny } = seedGrid(width, height, params.k);
    const count = nx * ny;
    const at = this.layout(width, height, count);
    const x = this.x;
    const bytes = () => new Uint8Array(x.memory.buffer);
    bytes().set(image.data.subarray(0, n * 4), at.rgba);
    bytes().set(new Uint8Array(LINEAR.buffer, LINEAR.byteOffset, LINEAR.byteLength), at.linear);
    bytes().set(new Uint8Array(F_TABLE.buffer, F_TABLE.byteOffset, F_TABLE.byteLength), at.fTable);
    x.toLab(at.rgba, n, at.linear, at.fTable, at.l, at.a, at.b);
    x.seeds(at.l, at.a, at.b, width, height, nx, ny, at.centres);
    x.clearLabels(at.labels, n);
    let iterations = 0;
    for (;;) {
      x.assign(at.l, at.a, at.b, width, height, at.centres, count, step, params.m / step, at.labels, at.dist);
      if (++iterations === params.maxIterations) break;
      if (x.update(at.l, at.a, at.b, width, height, at.labels, at.centres, count, at.sums) < params.residualThreshold) break;
    }
    return { at, n, count, iterations };
  }
}
