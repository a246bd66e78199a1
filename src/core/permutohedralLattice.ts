// The permutohedral lattice (Adams, Baek & Davis 2010) that makes the dense CRF of thesis §2.1.2 (eqs. 2.1.5–2.1.6)
// tractable: Gaussian filtering in a d-dimensional feature space in O(N·d²) instead of O(N²). Each point is
// splatted onto the d+1 vertices of its enclosing simplex, the vertices are blurred with [½ 1 ½] along the
// d+1 lattice axes, and the result is sliced back with the same barycentric weights. Follows the layout of
// Krähenbühl & Koltun's reference code (vertex 0 is a zero "missing neighbour"), with every table in typed
// arrays so a 500×375 photo allocates nothing per pixel.

/** Adams et al.'s hash multiplier: spreads nearby integer keys over the table. */
const HASH_PRIME = 2531011;
/** Channels filtered together (see `filter`). */
const BLOCK = 4;

/** A built lattice's tables: all `filter` needs, and what src/core/crfWasm.ts copies in and out of WebAssembly. */
export interface LatticeTables {
  /** Points (pixels) and feature dimensions. */
  readonly points: number;
  readonly dims: number;
  /** Lattice vertices in use (excluding the zero vertex). */
  readonly vertices: number;
  /** Per point, its d+1 enclosing vertices (1-based: 0 is the zero vertex) and their barycentric weights. */
  readonly offsets: Int32Array;
  readonly weights: Float32Array;
  /** Per axis j and vertex v, its two neighbours along axis j (1-based, 0 when absent): [(d+1) × vertices]. */
  readonly before: Int32Array;
  readonly after: Int32Array;
}

export class PermutohedralLattice implements LatticeTables {
  readonly points: number;
  readonly dims: number;
  readonly vertices: number;
  readonly offsets: Int32Array;
  readonly weights: Float32Array;
  readonly before: Int32Array;
  readonly after: Int32Array;
  private bufferA = new Float32Array(0);
  private bufferB = new Float32Array(0);

  /**
   * `features` is [points × dims] row-major, each dimension already divided by its kernel's σ, so that
   * `filter` approximates Σ_j exp(−|f_i − f_j|²/2)·v_j up to a constant factor. Or the tables of a lattice
   * built elsewhere (the WebAssembly construction gives the same ones).
   */
  constructor(features: Float32Array, dims: number);
  constructor(tables: LatticeTables);
  constructor(source: Float32Array | LatticeTables, dims = 0) {
    if (!(source instanceof Float32Array)) {
      ({ points: this.points, dims: this.dims, vertices: this.vertices, offsets: this.offsets, weights: this.weights, before: this.before, after: this.after } = source);
      return;
    }
    const features = source;
    const d = dims;
    const n = features.length / d;
    if (!Number.isInteger(n)) throw new RangeError(`features length ${features.length} is not a multiple of ${d}`);
    this.points = n;
    this.dims = d;
    // Vertices are ¼ to ¾ of the points at the CRF's θs; the table starts small (in cache) and grows.
    const table = new VertexTable(d, Math.max(16, n >> 3));
    this.offsets = new Int32Array(n * (d + 1));
    this.weights = new Float32Array(n * (d + 1));
    locatePoints(features, d, table, this.offsets, this.weights);
    this.vertices = table.size;
    this.before = new Int32Array((d + 1) * table.size);
    this.after = new Int32Array((d + 1) * table.size);
    linkNeighbours(table, d, this.before, this.after);
  }

  /**
   * Gaussian-filters [points × channels] values: out_i ≈ c·Σ_j exp(−|f_i − f_j|²/2)·v_j, c a constant of the
   * lattice (callers normalize by filtering ones). `out` may be passed to avoid an allocation; not `values`.
   * Only the first `count` channels are filtered (the rest of `out` is left alone). Channels go through in
   * blocks of four with the four written out, a lone channel on its own: V8 does not unroll a loop over a
   * variable channel count, and unrolled splat and slice run twice as fast.
   */
  filter(values: Float32Array, channels: number, out = new Float32Array(this.points * channels), count = channels): Float32Array {
    for (let first = 0; first < count; first += BLOCK) this.filterBlock(values, channels, first, Math.min(BLOCK, count - first), out);
    return out;
  }

  /** Channels first..first+width-1 (width ≤ 4) of `values` into the same channels of `out`. */
  private filterBlock(values: Float32Array, channels: number, first: number, width: number, out: Float32Array): void {
    const size = (this.vertices + 1) * BLOCK;
    if (this.bufferA.length < size) {
      this.bufferA = new Float32Array(size);
      this.bufferB = new Float32Array(size);
    }
    const d1 = this.dims + 1;
    const lone = width === 1;
    const src0 = this.bufferA.fill(0, 0, size);
    if (lone) splatOne(values, channels, first, this.offsets, this.weights, d1, src0);
    else splat(values, channels, first, width, this.offsets, this.weights, d1, src0);
    let src = this.bufferA;
    let dst = this.bufferB;
    dst.fill(0, 0, BLOCK);
    for (let j = 0; j < d1; j++) {
      if (lone) blurAxisOne(src, dst, this.before, this.after, j, this.vertices);
      else blurAxis(src, dst, this.before, this.after, j, this.vertices);
      const t = src;
      src = dst;
      dst = t;
    }
    // Krähenbühl's "magic" constant for the blur's gain at the centre.
    const gain = 1 / (1 + Math.pow(2, -this.dims));
    if (lone) sliceOne(src, gain, this.offsets, this.weights, d1, channels, first, out);
    else slice(src, gain, this.offsets, this.weights, d1, channels, first, width, out);
  }
}

/** Each point's enclosing simplex: its d+1 vertices (1-based, inserted into `table`) and barycentric weights. */
function locatePoints(features: Float32Array, d: number, table: VertexTable, offsets: Int32Array, weights: Float32Array): void {
  const n = features.length / d;
  const d1 = d + 1;
  const invD1 = 1 / d1;
  // Expected standard deviation of the blur (Adams et al. p. 6) and the diagonal of the elevation matrix E (p. 5).
  const invStd = Math.sqrt(2 / 3) * d1;
  const scale = new Float32Array(d);
  for (let i = 0; i < d; i++) scale[i] = invStd / Math.sqrt((i + 1) * (i + 2));
  // canonical[r·(d+1) + j]: coordinate j of the remainder-r vertex of the canonical simplex.
  const canonical = new Int32Array(d1 * d1);
  for (let r = 0; r <= d; r++) for (let j = 0; j <= d; j++) canonical[r * d1 + j] = j <= d - r ? r : r - d1;

  const elevated = new Float64Array(d1);
  const rem0 = new Int32Array(d1);
  const rank = new Int32Array(d1);
  const bary = new Float64Array(d + 2);
  const key = new Int32Array(d);
  // Neighbouring pixels often fall in the same simplex: then its vertices need no hashing.
  const lastRem0 = new Int32Array(d1).fill(1);
  const lastRank = new Int32Array(d1);
  for (let p = 0; p < n; p++) {
    // Elevate onto the hyperplane Σ x = 0 of R^{d+1}.
    let sm = 0;
    for (let j = d; j > 0; j--) {
      const cf = features[p * d + j - 1] * scale[j - 1];
      elevated[j] = sm - j * cf;
      sm += cf;
    }
    elevated[0] = sm;
    // Nearest remainder-0 point, then the simplex around it from the ranks of the differences.
    let sum = 0;
    for (let i = 0; i <= d; i++) {
      // `| 0` keeps the arithmetic in small integers (a −0 from rounding would deoptimize the loop).
      const k = Math.round(elevated[i] * invD1) | 0;
      rem0[i] = k * d1;
      sum += k;
      rank[i] = 0;
    }
    for (let i = 0; i < d; i++) {
      const di = elevated[i] - rem0[i];
      for (let j = i + 1; j <= d; j++) {
        if (di < elevated[j] - rem0[j]) rank[i]++;
        else rank[j]++;
      }
    }
    for (let i = 0; i <= d; i++) {
      rank[i] += sum;
      if (rank[i] < 0) {
        rank[i] += d1;
        rem0[i] += d1;
      } else if (rank[i] > d) {
        rank[i] -= d1;
        rem0[i] -= d1;
      }
    }
    for (let i = 0; i <= d + 1; i++) bary[i] = 0;
    for (let i = 0; i <= d; i++) {
      const v = (elevated[i] - rem0[i]) / d1;
      bary[d - rank[i]] += v;
      bary[d - rank[i] + 1] -= v;
    }
    bary[0] += 1 + bary[d + 1];
    let same = p > 0;
    for (let i = 0; i <= d && same; i++) same = rem0[i] === lastRem0[i] && rank[i] === lastRank[i];
    for (let r = 0; r <= d; r++) {
      if (same) offsets[p * d1 + r] = offsets[(p - 1) * d1 + r];
      else {
        for (let i = 0; i < d; i++) key[i] = rem0[i] + canonical[r * d1 + rank[i]];
        offsets[p * d1 + r] = table.findOrInsert(key) + 1;
      }
      weights[p * d1 + r] = bary[r];
    }
    for (let i = 0; i <= d; i++) {
      lastRem0[i] = rem0[i];
      lastRank[i] = rank[i];
    }
  }
}

/**
 * For each axis j and vertex v, the vertices one step before and after along j (1-based, 0 when absent). Only
 * "before" is looked up: u before v along j means v after u, so one hash lookup fills both links.
 */
function linkNeighbours(table: VertexTable, d: number, before: Int32Array, after: Int32Array): void {
  const m = table.size;
  const n1 = new Int32Array(d);
  for (let j = 0; j <= d; j++) {
    for (let v = 0; v < m; v++) {
      // Along axis j the step is +d on coordinate j and −1 elsewhere (the (d+1)-th coordinate is implied).
      for (let k = 0; k < d; k++) n1[k] = table.keys[v * d + k] - 1;
      if (j < d) n1[j] = table.keys[v * d + j] + d;
      const u = table.find(n1);
      before[j * m + v] = u + 1;
      if (u >= 0) after[j * m + u] = v + 1;
    }
  }
}

/** Barycentric splat of one block of channels onto the lattice ([vertices + 1] × BLOCK, vertex 0 the zero one). */
function splat(values: Float32Array, channels: number, first: number, width: number, offsets: Int32Array, weights: Float32Array, d1: number, lattice: Float32Array): void {
  const n = offsets.length / d1;
  for (let p = 0, at = first; p < n; p++, at += channels) {
    const v0 = values[at];
    const v1 = width > 1 ? values[at + 1] : 0;
    const v2 = width > 2 ? values[at + 2] : 0;
    const v3 = width > 3 ? values[at + 3] : 0;
    for (let r = p * d1, end = r + d1; r < end; r++) {
      const o = offsets[r] * BLOCK;
      const w = weights[r];
      lattice[o] += w * v0;
      lattice[o + 1] += w * v1;
      lattice[o + 2] += w * v2;
      lattice[o + 3] += w * v3;
    }
  }
}

/** One [½ 1 ½] pass along lattice axis j. */
function blurAxis(src: Float32Array, dst: Float32Array, before: Int32Array, after: Int32Array, j: number, m: number): void {
  for (let v = 0, o = BLOCK, k = j * m; v < m; v++, o += BLOCK, k++) {
    const a = before[k] * BLOCK;
    const b = after[k] * BLOCK;
    dst[o] = src[o] + 0.5 * (src[a] + src[b]);
    dst[o + 1] = src[o + 1] + 0.5 * (src[a + 1] + src[b + 1]);
    dst[o + 2] = src[o + 2] + 0.5 * (src[a + 2] + src[b + 2]);
    dst[o + 3] = src[o + 3] + 0.5 * (src[a + 3] + src[b + 3]);
  }
}

/** Barycentric interpolation of the blurred lattice back to the points, times `gain`. */
function slice(lattice: Float32Array, gain: number, offsets: Int32Array, weights: Float32Array, d1: number, channels: number, first: number, width: number, out: Float32Array): void {
  const n = offsets.length / d1;
  for (let p = 0, at = first; p < n; p++, at += channels) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let r = p * d1, end = r + d1; r < end; r++) {
      const o = offsets[r] * BLOCK;
      const w = weights[r];
      a0 += w * lattice[o];
      a1 += w * lattice[o + 1];
      a2 += w * lattice[o + 2];
      a3 += w * lattice[o + 3];
    }
    out[at] = gain * a0;
    if (width > 1) out[at + 1] = gain * a1;
    if (width > 2) out[at + 2] = gain * a2;
    if (width > 3) out[at + 3] = gain * a3;
  }
}

/** Open-addressing hash of integer keys (d coordinates each) to dense vertex indices; grows by doubling. */
class VertexTable {
  keys: Int32Array;
  size = 0;
  private slots: Int32Array;

  constructor(
    private readonly d: number,
    expected: number,
  ) {
    this.slots = new Int32Array(nextPowerOfTwo(2 * expected)).fill(-1);
    this.keys = new Int32Array(expected * d);
  }

  private hash(key: Int32Array | ArrayLike<number>, at = 0): number {
    let h = 0;
    for (let i = 0; i < this.d; i++) h = Math.imul(h + key[at + i], HASH_PRIME);
    return h >>> 0;
  }

  private probe(key: Int32Array): number {
    const mask = this.slots.length - 1;
    const d = this.d;
    let s = this.hash(key) & mask;
    for (;;) {
      const v = this.slots[s];
      if (v < 0) return s;
      let same = true;
      for (let i = 0; i < d; i++) {
        if (this.keys[v * d + i] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) return s;
      s = (s + 1) & mask;
    }
  }

  /** The vertex index of `key`, or −1. */
  find(key: Int32Array): number {
    return this.slots[this.probe(key)];
  }

  findOrInsert(key: Int32Array): number {
    const s = this.probe(key);
    if (this.slots[s] >= 0) return this.slots[s];
    const v = this.size++;
    if (this.keys.length < this.size * this.d) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.set(key, v * this.d);
    if (2 * this.size > this.slots.length) this.rehash();
    else this.slots[s] = v;
    return v;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let v = 0; v < this.size; v++) {
      let s = this.hash(this.keys, v * this.d) & mask;
      while (slots[s] >= 0) s = (s + 1) & mask;
      slots[s] = v;
    }
    this.slots = slots;
  }
}

/** `splat` for a single channel (lattice [vertices + 1] × 1). */
function splatOne(values: Float32Array, channels: number, first: number, offsets: Int32Array, weights: Float32Array, d1: number, lattice: Float32Array): void {
  const n = offsets.length / d1;
  for (let p = 0, at = first; p < n; p++, at += channels) {
    const v = values[at];
    for (let r = p * d1, end = r + d1; r < end; r++) lattice[offsets[r]] += weights[r] * v;
  }
}

/** `blurAxis` for a single channel. */
function blurAxisOne(src: Float32Array, dst: Float32Array, before: Int32Array, after: Int32Array, j: number, m: number): void {
  for (let v = 1, k = j * m; v <= m; v++, k++) dst[v] = src[v] + 0.5 * (src[before[k]] + src[after[k]]);
}

/** `slice` for a single channel. */
function sliceOne(lattice: Float32Array, gain: number, offsets: Int32Array, weights: Float32Array, d1: number, channels: number, first: number, out: Float32Array): void {
  const n = offsets.length / d1;
  for (let p = 0, at = first; p < n; p++, at += channels) {
    let acc = 0;
    for (let r = p * d1, end = r + d1; r < end; r++) acc += weights[r] * lattice[offsets[r]];
    out[at] = gain * acc;
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
