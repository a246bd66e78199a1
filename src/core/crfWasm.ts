// The dense CRF (thesis §2.1.2, eqs. 2.1.5–2.1.6) in WebAssembly SIMD (assembly/crf.ts, compiled by
// `npm run build:wasm`): the permutohedral lattices are built with the same tables as permutohedralLattice.ts
// and the mean field runs there too. The TypeScript version stays the reference (crfWasm.test.ts); the caller
// brings the module's bytes (a fetch in the worker, a file in Node). Kernels live in a small pool of module
// instances whose memory is reused: fresh memory costs more here than the whole construction (an instance of
// its own per photo made it 2–3× slower, page faults). A caller keeps kernels per photo as before; kernels
// whose instance went to another photo are rebuilt from their image when used again.
import { crfFeatures, type CrfKernels, type CrfParams } from './denseCrf.ts';
import { PermutohedralLattice } from './permutohedralLattice.ts';
import { IGNORE_LABEL, type RgbaImage } from './types.ts';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  buildLattice(features: number, n: number, d: number, offsets: number, weights: number, scratch: number): number;
  latticeBefore(): number;
  latticeAfter(): number;
  scratchEnd(): number;
  normalizer(lattice: number, ones: number, bufA: number, bufB: number): void;
  meanField(
    appearance: number,
    smoothness: number,
    n: number,
    a: number,
    iterations: number,
    w1: number,
    w2: number,
    logp: number,
    region: number,
    fixed: number,
    fixedIndex: number,
    q: number,
    msgA: number,
    msgS: number,
    stride: number,
    bufA: number,
    bufB: number,
    labels: number,
    activeClass: number,
  ): void;
}

const PAGE = 65536;
/** SIMD reads up to three floats past a pixel's last channel; every buffer gets this much slack. */
const SLACK = 16;
/** A lattice descriptor, 8 words: offsets, weights, before, after, points, dims, vertices, normalizer (assembly/permutohedral.ts). */
const DESCRIPTOR_WORDS = 8;

/** One photo's kernels in a module instance: their descriptors, and where free memory starts above them. */
interface Resident {
  x: Exports;
  appearance: number;
  smoothness: number;
  end: number;
}

/** A bump allocator from `at`, 16-aligned with slack. */
function allocator(at: number): { take(bytes: number): number; end(): number } {
  let top = (at + 15) & ~15;
  return {
    take(bytes: number) {
      const start = top;
      top = (top + bytes + SLACK + 15) & ~15;
      return start;
    },
    end: () => top,
  };
}

function reserve(x: Exports, end: number): void {
  const memory = x.memory;
  if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
}

/** The tables of the lattice described at `descriptor`, copied out of the module's memory. */
function copyOut(x: Exports, descriptor: number): { lattice: PermutohedralLattice; norm: Float32Array } {
  const [offsets, weights, before, after, points, dims, vertices, norm] = new Int32Array(x.memory.buffer, descriptor, DESCRIPTOR_WORDS);
  const buffer = x.memory.buffer;
  const perPoint = points * (dims + 1) * 4;
  const perVertex = (dims + 1) * vertices * 4;
  return {
    lattice: new PermutohedralLattice({
      points,
      dims,
      vertices,
      offsets: new Int32Array(buffer.slice(offsets, offsets + perPoint)),
      weights: new Float32Array(buffer.slice(weights, weights + perPoint)),
      before: new Int32Array(buffer.slice(before, before + perVertex)),
      after: new Int32Array(buffer.slice(after, after + perVertex)),
    }),
    norm: new Float32Array(buffer.slice(norm, norm + points * 4)),
  };
}

/** Builds both lattices and their normalizers in `x`'s memory. */
function build(x: Exports, image: RgbaImage, params: Pick<CrfParams, 'thetaAlpha' | 'thetaBeta' | 'thetaGamma'>): Resident {
  const n = image.width * image.height;
  const heap = allocator(x.heapBase());
  const dims = [5, 2];
  const offsets = dims.map((d) => heap.take(n * (d + 1) * 4));
  const weights = dims.map((d) => heap.take(n * (d + 1) * 4));
  const norms = dims.map(() => heap.take(n * 4));
  const descriptors = dims.map(() => heap.take(DESCRIPTOR_WORDS * 4));
  // Above the tables: the features, then the hash tables and neighbour links the construction takes as it goes.
  const scratchStart = heap.end();
  const features = dims.map((d) => heap.take(n * d * 4));
  reserve(x, heap.end());
  crfFeatures(image, params, new Float32Array(x.memory.buffer, features[0], n * 5), new Float32Array(x.memory.buffer, features[1], n * 2));
  let scratch = heap.end();
  const vertices = dims.map((d, l) => {
    const count = x.buildLattice(features[l], n, d, offsets[l], weights[l], scratch);
    new Int32Array(x.memory.buffer, descriptors[l], DESCRIPTOR_WORDS).set([offsets[l], weights[l], x.latticeBefore(), x.latticeAfter(), n, d, count, norms[l]]);
    scratch = x.scratchEnd();
    return count;
  });
  const buffers = allocator(scratch);
  const most = Math.max(...vertices) + 1;
  const ones = buffers.take(n * 4);
  const bufA = buffers.take(most * 16);
  const bufB = buffers.take(most * 16);
  reserve(x, buffers.end());
  for (const descriptor of descriptors) x.normalizer(descriptor, ones, bufA, bufB);
  // The neighbour links move down over the dead features and hash tables (in address order, each to a lower
  // address, so no move overwrites one still to come); the mean field's buffers then start above them.
  const links = allocator(scratchStart);
  const bytes = new Uint8Array(x.memory.buffer);
  for (const [l, descriptor] of descriptors.entries()) {
    const words = new Int32Array(x.memory.buffer, descriptor, DESCRIPTOR_WORDS);
    const size = (dims[l] + 1) * vertices[l] * 4;
    for (const word of [2, 3]) {
      const to = links.take(size);
      bytes.copyWithin(to, words[word], words[word] + size);
      words[word] = to;
    }
  }
  return { x, appearance: descriptors[0], smoothness: descriptors[1], end: links.end() };
}

/** Copies kernels built in TypeScript into `x`'s memory. */
function copyIn(x: Exports, kernels: CrfKernels): Resident {
  const heap = allocator(x.heapBase());
  const placed = [
    { lattice: kernels.appearance, norm: kernels.appearanceNorm },
    { lattice: kernels.smoothness, norm: kernels.smoothnessNorm },
  ].map(({ lattice, norm }) => {
    const arrays = [lattice.offsets, lattice.weights, lattice.before, lattice.after, norm];
    return { lattice, arrays, at: arrays.map((array) => heap.take(array.byteLength)), descriptor: heap.take(DESCRIPTOR_WORDS * 4) };
  });
  reserve(x, heap.end());
  const bytes = new Uint8Array(x.memory.buffer);
  for (const { lattice, arrays, at, descriptor } of placed) {
    arrays.forEach((array, i) => bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at[i]));
    new Int32Array(x.memory.buffer, descriptor, DESCRIPTOR_WORDS).set([at[0], at[1], at[2], at[3], lattice.points, lattice.dims, lattice.vertices, at[4]]);
  }
  return { x, appearance: placed[0].descriptor, smoothness: placed[1].descriptor, end: heap.end() };
}

/** Instances in the pool: two photos' kernels (or one photo's at two θs, as bench:crf's grid has) stay ready. */
const POOL = 2;

/** Kernels handled here: they fill an instance (build or copy in), and hold it until the pool gives it away. */
class WasmKernels implements CrfKernels {
  resident?: Resident;
  private copied?: { appearance: PermutohedralLattice; smoothness: PermutohedralLattice; appearanceNorm: Float32Array; smoothnessNorm: Float32Array };

  constructor(
    readonly width: number,
    readonly height: number,
    readonly thetaAlpha: number,
    readonly thetaBeta: number,
    readonly thetaGamma: number,
    readonly fill: (x: Exports) => Resident,
    private readonly owner: CrfWasm,
  ) {}

  private tables() {
    if (!this.copied) {
      const resident = this.owner.residentFor(this);
      const appearance = copyOut(resident.x, resident.appearance);
      const smoothness = copyOut(resident.x, resident.smoothness);
      this.copied = { appearance: appearance.lattice, smoothness: smoothness.lattice, appearanceNorm: appearance.norm, smoothnessNorm: smoothness.norm };
    }
    return this.copied;
  }

  get appearance(): PermutohedralLattice {
    return this.tables().appearance;
  }

  get smoothness(): PermutohedralLattice {
    return this.tables().smoothness;
  }

  get appearanceNorm(): Float32Array {
    return this.tables().appearanceNorm;
  }

  get smoothnessNorm(): Float32Array {
    return this.tables().smoothnessNorm;
  }
}

export interface MeanFieldInput {
  /** The classes in play, ascending, and the unary [regions × active] as log p. */
  active: Int32Array;
  logp: Float32Array;
  regions?: Int32Array;
  fixed?: ArrayLike<number>;
  params: Pick<CrfParams, 'iterations' | 'w1' | 'w2'>;
  marginals: boolean;
}

export class CrfWasm {
  /** Least recently used first. */
  private readonly pool: { x: Exports; holder?: WasmKernels }[] = [];
  /** Kernels built in TypeScript, wrapped once a mean field here was asked to use them. */
  private readonly wrapped = new WeakMap<CrfKernels, WasmKernels>();

  private constructor(private readonly module: WebAssembly.Module) {}

  static async instantiate(bytes: BufferSource): Promise<CrfWasm> {
    return new CrfWasm(await WebAssembly.compile(bytes));
  }

  /** The instance holding `kernels`, filled again (the least recently used one) if it was given away. */
  residentFor(kernels: WasmKernels): Resident {
    const at = this.pool.findIndex((entry) => entry.holder === kernels);
    if (at >= 0) {
      this.pool.push(...this.pool.splice(at, 1));
      return kernels.resident!;
    }
    const entry = this.pool.length < POOL ? { x: this.instance() } : this.pool.shift()!;
    if (entry.holder) entry.holder.resident = undefined;
    entry.holder = kernels;
    this.pool.push(entry);
    kernels.resident = kernels.fill(entry.x);
    return kernels.resident;
  }

  private instance(): Exports {
    const instance = new WebAssembly.Instance(this.module, {
      env: {
        abort: () => {
          throw new Error('CRF WebAssembly aborted');
        },
      },
    });
    return instance.exports as unknown as Exports;
  }

  /** `crfKernels` of the TypeScript version: the same lattices, built in a pool instance. */
  kernels(image: RgbaImage, params: Pick<CrfParams, 'thetaAlpha' | 'thetaBeta' | 'thetaGamma'>): CrfKernels {
    const { thetaAlpha, thetaBeta, thetaGamma } = params;
    const kernels = new WasmKernels(image.width, image.height, thetaAlpha, thetaBeta, thetaGamma, (x) => build(x, image, params), this);
    this.residentFor(kernels);
    return kernels;
  }

  private wrap(kernels: CrfKernels): WasmKernels {
    let wrapped = this.wrapped.get(kernels);
    if (!wrapped) {
      const { width, height, thetaAlpha, thetaBeta, thetaGamma } = kernels;
      wrapped = new WasmKernels(width, height, thetaAlpha, thetaBeta, thetaGamma, (x) => copyIn(x, kernels), this);
      this.wrapped.set(kernels, wrapped);
    }
    return wrapped;
  }

  /** The mean field of `denseCrf` on kernels from either version: labels per pixel, and the marginals if asked. */
  meanField(kernels: CrfKernels, input: MeanFieldInput): { labels: Uint8Array; marginals?: Float32Array } {
    const { active, logp, regions, fixed, params } = input;
    const resident = this.residentFor(kernels instanceof WasmKernels ? kernels : this.wrap(kernels));
    const { x } = resident;
    const n = kernels.width * kernels.height;
    const a = active.length;
    // The last class is not filtered (its message follows from the others'); one channel goes alone, more in fours.
    const stride = a === 2 ? 1 : (a + 2) & ~3;
    const heap = allocator(resident.end);
    const vertexCount = (descriptor: number) => new Int32Array(x.memory.buffer, descriptor, DESCRIPTOR_WORDS)[6];
    const vertices = Math.max(vertexCount(resident.appearance), vertexCount(resident.smoothness)) + 1;
    const at = {
      logp: heap.take(logp.byteLength),
      region: regions ? heap.take(n * 4) : 0,
      fixed: fixed ? heap.take(n) : 0,
      fixedIndex: heap.take(256),
      activeClass: heap.take(a),
      q: heap.take(n * a * 4),
      msgA: heap.take(n * stride * 4),
      msgS: heap.take(n * stride * 4),
      bufA: heap.take(vertices * 16),
      bufB: heap.take(vertices * 16),
      labels: heap.take(n),
    };
    reserve(x, heap.end());
    const buffer = x.memory.buffer;
    new Float32Array(buffer, at.logp, logp.length).set(logp);
    if (regions) new Int32Array(buffer, at.region, n).set(regions);
    if (fixed) new Uint8Array(buffer, at.fixed, n).set(fixed);
    const fixedIndex = new Uint8Array(buffer, at.fixedIndex, 256).fill(255);
    active.forEach((c, k) => (fixedIndex[c] = k));
    fixedIndex[IGNORE_LABEL] = 255;
    new Uint8Array(buffer, at.activeClass, a).set(active);
    const { iterations, w1, w2 } = params;
    x.meanField(resident.appearance, resident.smoothness, n, a, iterations, w1, w2, at.logp, at.region, at.fixed, at.fixedIndex, at.q, at.msgA, at.msgS, stride, at.bufA, at.bufB, at.labels, at.activeClass);
    const out = x.memory.buffer;
    return {
      labels: new Uint8Array(out.slice(at.labels, at.labels + n)),
      ...(input.marginals ? { marginals: new Float32Array(out.slice(at.q, at.q + n * a * 4)) } : {}),
    };
  }
}
