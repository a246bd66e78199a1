// The permutohedral lattice (Adams, Baek & Davis 2010) that makes the dense CRF of thesis §2.1.2 (eqs. 2.1.5–2.1.6)
// tractable: Gaussian filtering in a d-dimensional feature space in O(N·d²) instead of O(N²). Each point is
// splatted onto the d+1 vertices of its enclosing simplex, the vertices are blurred with [½ 1 ½] along the
// d+1 lattice axes, and the result is sliced back with the same barycentric weights. Follows the layout of
// Krähenbühl & Koltun's reference code (vertex 0 is a zero "missing neighbour"), with every table in typed
// arrays so a 500×375 photo allocates nothing per pixel.

/** Adams et al.'s hash multiplier: spreads nearby integer keys over the table. */
const HASH_PRIME = 2531011;

export class PermutohedralLattice {
  /** Points (pixels) and feature dimensions. */
  readonly points: number;
  readonly dims: number;
  /** Lattice vertices in use (excluding the zero vertex). */
  readonly vertices: number;
  /** Per point, its d+1 enclosing vertices (1-based: 0 is the zero vertex) and their barycentric weights. */
  private readonly offsets: Int32Array;
  private readonly weights: Float32Array;
  /** Per axis j and vertex v, its two neighbours along axis j (1-based, 0 when absent): [(d+1) × vertices]. */
  private readonly before: Int32Array;
  private readonly after: Int32Array;
  private bufferA = new Float32Array(0);
  private bufferB = new Float32Array(0);

  /**
   * `features` is [points × dims] row-major, each dimension already divided by its kernel's σ, so that
   * `filter` approximates Σ_j exp(−|f_i − f_j|²/2)·v_j up to a constant factor.
   */
  constructor(features: Float32Array, dims: number) {
    const d = dims;
    const n = features.length / d;
    if (!Number.isInteger(n)) throw new RangeError(`features length ${features.length} is not a multiple of ${d}`);
    this.points = n;
    this.dims = d;
    const d1 = d + 1;
    const table = new VertexTable(d, Math.max(16, n));
    this.offsets = new Int32Array(n * d1);
    this.weights = new Float32Array(n * d1);

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
        const v = elevated[i] / d1;
        const up = Math.ceil(v) * d1;
        const down = Math.floor(v) * d1;
        rem0[i] = up - elevated[i] < elevated[i] - down ? up : down;
        sum += rem0[i] / d1;
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
      bary.fill(0);
      for (let i = 0; i <= d; i++) {
        const v = (elevated[i] - rem0[i]) / d1;
        bary[d - rank[i]] += v;
        bary[d - rank[i] + 1] -= v;
      }
      bary[0] += 1 + bary[d + 1];
      for (let r = 0; r <= d; r++) {
        for (let i = 0; i < d; i++) key[i] = rem0[i] + canonical[r * d1 + rank[i]];
        this.offsets[p * d1 + r] = table.findOrInsert(key) + 1;
        this.weights[p * d1 + r] = bary[r];
      }
    }

    const m = table.size;
    this.vertices = m;
    this.before = new Int32Array(d1 * m);
    this.after = new Int32Array(d1 * m);
    const n1 = new Int32Array(d);
    const n2 = new Int32Array(d);
    for (let j = 0; j <= d; j++) {
      for (let v = 0; v < m; v++) {
        for (let k = 0; k < d; k++) {
          const c = table.keys[v * d + k];
          n1[k] = c - 1;
          n2[k] = c + 1;
        }
        // Along axis j the step is +d on coordinate j and −1 elsewhere (the (d+1)-th coordinate is implied).
        if (j < d) {
          n1[j] = table.keys[v * d + j] + d;
          n2[j] = table.keys[v * d + j] - d;
        }
        this.before[j * m + v] = table.find(n1) + 1;
        this.after[j * m + v] = table.find(n2) + 1;
      }
    }
  }

  /**
   * Gaussian-filters [points × channels] values: out_i ≈ c·Σ_j exp(−|f_i − f_j|²/2)·v_j, c a constant of the
   * lattice (callers normalize by filtering ones). `out` may be passed to avoid an allocation; not `values`.
   */
  filter(values: Float32Array, channels: number, out = new Float32Array(this.points * channels)): Float32Array {
    const { points: n, dims: d, vertices: m, offsets, weights, before, after } = this;
    const c = channels;
    const d1 = d + 1;
    const size = (m + 1) * c;
    if (this.bufferA.length < size) {
      this.bufferA = new Float32Array(size);
      this.bufferB = new Float32Array(size);
    }
    let src = this.bufferA;
    let dst = this.bufferB;
    src.fill(0, 0, size);
    for (let p = 0; p < n; p++) {
      const in0 = p * c;
      for (let r = 0; r < d1; r++) {
        const o = offsets[p * d1 + r] * c;
        const w = weights[p * d1 + r];
        for (let k = 0; k < c; k++) src[o + k] += w * values[in0 + k];
      }
    }
    dst.fill(0, 0, c);
    for (let j = 0; j <= d; j++) {
      for (let v = 0; v < m; v++) {
        const o = (v + 1) * c;
        const a = before[j * m + v] * c;
        const b = after[j * m + v] * c;
        for (let k = 0; k < c; k++) dst[o + k] = src[o + k] + 0.5 * (src[a + k] + src[b + k]);
      }
      const t = src;
      src = dst;
      dst = t;
    }
    // Krähenbühl's "magic" constant for the blur's gain at the centre.
    const alpha = 1 / (1 + Math.pow(2, -d));
    for (let p = 0; p < n; p++) {
      const o0 = p * c;
      for (let k = 0; k < c; k++) out[o0 + k] = 0;
      for (let r = 0; r < d1; r++) {
        const o = offsets[p * d1 + r] * c;
        const w = weights[p * d1 + r] * alpha;
        for (let k = 0; k < c; k++) out[o0 + k] += w * src[o + k];
      }
    }
    return out;
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

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
