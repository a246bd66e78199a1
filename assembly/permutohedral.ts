// The permutohedral lattice of the dense CRF (thesis §2.1.2; Adams, Baek & Davis 2010) in WebAssembly: the
// construction of src/core/permutohedralLattice.ts operation for operation (same f64 arithmetic, vertices
// numbered in the same insertion order), so its tables are identical to the TypeScript ones; filtering runs in
// f32, four channels per f32x4 lane group. Tables are raw pointers into memory laid out by src/core/crfWasm.ts.
import { scratchFrom, take } from './scratch';

/** Adams et al.'s hash multiplier, as in the TypeScript version. */
const HASH_PRIME: i32 = 2531011;
/** Feature dimensions the per-point work areas below allow: a key's coordinates fit two i32x4. */
const MAX_DIMS: i32 = 8;

const elevated = memory.data(8 * (MAX_DIMS + 1));
const bary = memory.data(8 * (MAX_DIMS + 2));
const diff = memory.data(8 * (MAX_DIMS + 1));
const rem0 = memory.data(4 * (MAX_DIMS + 1) + 16, 16);
const rank = memory.data(4 * (MAX_DIMS + 1) + 16, 16);
/** The keys of the last point's d+1 vertices, 32 bytes each. */
const recent = memory.data(32 * (MAX_DIMS + 1), 16);
const key = memory.data(4 * MAX_DIMS);
const scale = memory.data(8 * MAX_DIMS);

/**
 * The open-addressing vertex table of the lattice being built. A slot is a key's hash and its vertex (−1 when
 * empty): a probe compares hashes and reads a stored key only when they match, so the keys, a second cache
 * miss, are read about once per lookup. The hash is linear in the key, so a neighbour's is the vertex's plus a
 * constant per axis (`linkNeighbours`).
 */
let dims: i32 = 0;
let slots: usize = 0;
let mask: i32 = 0;
let keys: usize = 0;
let hashes: usize = 0;
let capacity: i32 = 0;
let size: i32 = 0;
let builtBefore: usize = 0;
let builtAfter: usize = 0;

@inline
function hashAt(at: usize): i32 {
  let h: i32 = 0;
  for (let i = 0; i < dims; i++) h = (h + load<i32>(at + (<usize>i << 2))) * HASH_PRIME;
  return h;
}

@inline
function sameKey(a: usize, b: usize): bool {
  for (let i = 0; i < dims; i++) if (load<i32>(a + (<usize>i << 2)) != load<i32>(b + (<usize>i << 2))) return false;
  return true;
}

/** The slot of `k` (d coordinates at address k, hash h), or of the empty slot where it would go. */
@inline
function probe(k: usize, h: i32): usize {
  let s = h & mask;
  while (true) {
    const slot = slots + (<usize>s << 3);
    const v = load<i32>(slot, 4);
    if (v < 0) return slot;
    if (load<i32>(slot) == h && sameKey(keys + <usize>v * <usize>dims * 4, k)) return slot;
    s = (s + 1) & mask;
  }
  unreachable();
}

function newSlots(count: i32): void {
  slots = take(count, 8);
  memory.fill(slots, 0xff, <usize>count << 3);
  mask = count - 1;
}

function findOrInsert(k: usize): i32 {
  const h = hashAt(k);
  const slot = probe(k, h);
  const found = load<i32>(slot, 4);
  if (found >= 0) return found;
  const v = size++;
  const rowBytes = <usize>dims << 2;
  if (size > capacity) {
    const grownKeys = take(capacity * 2, <i32>rowBytes);
    memory.copy(grownKeys, keys, <usize>capacity * rowBytes);
    keys = grownKeys;
    const grownHashes = take(capacity * 2, 4);
    memory.copy(grownHashes, hashes, <usize>capacity << 2);
    hashes = grownHashes;
    capacity *= 2;
  }
  memory.copy(keys + <usize>v * rowBytes, k, rowBytes);
  store<i32>(hashes + (<usize>v << 2), h);
  if (2 * size > mask + 1) rehash();
  else {
    store<i32>(slot, h);
    store<i32>(slot, v, 4);
  }
  return v;
}

function rehash(): void {
  newSlots((mask + 1) * 2);
  for (let v = 0; v < size; v++) {
    const h = load<i32>(hashes + (<usize>v << 2));
    let s = h & mask;
    while (load<i32>(slots + (<usize>s << 3), 4) >= 0) s = (s + 1) & mask;
    store<i32>(slots + (<usize>s << 3), h);
    store<i32>(slots + (<usize>s << 3), v, 4);
  }
}

/**
 * Builds the lattice of `n` points with `d` features each (f32, [n × d], already divided by their σ): writes
 * each point's d+1 vertices (1-based) and barycentric weights to `offsets` and `weights` ([n × (d+1)]), links
 * the vertices' neighbours along each axis (`latticeBefore`, `latticeAfter`), and returns the vertex count.
 * Scratch space starts at `scratch`; `scratchEnd` tells where it stopped.
 */
export function buildLattice(features: usize, n: i32, d: i32, offsets: usize, weights: usize, scratch: usize): i32 {
  scratchFrom(scratch);
  dims = d;
  size = 0;
  const expected = max(16, n >> 3);
  let slotCount: i32 = 1;
  while (slotCount < 2 * expected) slotCount <<= 1;
  newSlots(slotCount);
  capacity = expected;
  keys = take(capacity, d << 2);
  hashes = take(capacity, 4);
  locatePoints(features, n, d, offsets, weights);
  const m = size;
  builtBefore = take((d + 1) * m, 4);
  builtAfter = take((d + 1) * m, 4);
  memory.fill(builtAfter, 0, <usize>((d + 1) * m) << 2);
  linkNeighbours(d, m);
  return m;
}

export function latticeBefore(): usize {
  return builtBefore;
}

export function latticeAfter(): usize {
  return builtAfter;
}

export function scratchEnd(): usize {
  return take(0, 1);
}

function locatePoints(features: usize, n: i32, d: i32, offsets: usize, weights: usize): void {
  const d1 = d + 1;
  const invD1: f64 = 1 / <f64>d1;
  const invStd: f64 = Math.sqrt(2.0 / 3.0) * <f64>d1;
  // Float32 like the TypeScript version's scale table, so the products below are the same.
  for (let i = 0; i < d; i++) store<f64>(scale + (<usize>i << 3), <f64>(<f32>(invStd / Math.sqrt(<f64>((i + 1) * (i + 2))))));
  const one = i32x4.splat(1);
  const stepBack = i32x4.splat(d1);
  const maskLow = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(d));
  const maskHigh = i32x4.lt_s(i32x4(4, 5, 6, 7), i32x4.splat(d));
  for (let p = 0; p < n; p++) {
    const f = features + <usize>p * <usize>d * 4;
    let sm: f64 = 0;
    for (let j = d; j > 0; j--) {
      const cf = <f64>load<f32>(f + (<usize>(j - 1) << 2)) * load<f64>(scale + (<usize>(j - 1) << 3));
      store<f64>(elevated + (<usize>j << 3), sm - <f64>j * cf);
      sm += cf;
    }
    store<f64>(elevated, sm);
    let sum: i32 = 0;
    for (let i = 0; i < d1; i++) {
      const k = <i32>Math.round(load<f64>(elevated + (<usize>i << 3)) * invD1);
      store<i32>(rem0 + (<usize>i << 2), k * d1);
      sum += k;
    }
    // Ranks of the differences (ties to the lower index), as the TypeScript version's pairwise comparisons.
    for (let i = 0; i < d1; i++) store<f64>(diff + (<usize>i << 3), load<f64>(elevated + (<usize>i << 3)) - <f64>load<i32>(rem0 + (<usize>i << 2)));
    for (let i = 0; i < d1; i++) {
      const di = load<f64>(diff + (<usize>i << 3));
      let ri: i32 = sum;
      for (let j = 0; j < i; j++) ri += i32(!(load<f64>(diff + (<usize>j << 3)) < di));
      for (let j = i + 1; j < d1; j++) ri += i32(di < load<f64>(diff + (<usize>j << 3)));
      if (ri < 0) {
        ri += d1;
        store<i32>(rem0 + (<usize>i << 2), load<i32>(rem0 + (<usize>i << 2)) + d1);
      } else if (ri > d) {
        ri -= d1;
        store<i32>(rem0 + (<usize>i << 2), load<i32>(rem0 + (<usize>i << 2)) - d1);
      }
      store<i32>(rank + (<usize>i << 2), ri);
    }
    for (let i = 0; i <= d + 1; i++) store<f64>(bary + (<usize>i << 3), 0);
    for (let i = 0; i < d1; i++) {
      const v = (load<f64>(elevated + (<usize>i << 3)) - <f64>load<i32>(rem0 + (<usize>i << 2))) / <f64>d1;
      const at = bary + (<usize>(d - load<i32>(rank + (<usize>i << 2))) << 3);
      store<f64>(at, load<f64>(at) + v);
      store<f64>(at, load<f64>(at, 8) - v, 8);
    }
    store<f64>(bary, load<f64>(bary) + (1 + load<f64>(bary + (<usize>(d + 1) << 3))));
    // Vertex r's key is rem0 + r on coordinates ranked ≤ d − r and rem0 + r − (d+1) on the others, so from one
    // vertex to the next every coordinate steps +1 but the one ranked d − r + 1, which steps −d; eight
    // coordinates in two i32x4. Vertex r of a simplex is its only remainder-r vertex, so only vertex r of the
    // point before can be the same one: neighbouring pixels share a quarter of their vertices without a lookup.
    let low = v128.load(rem0);
    let high = v128.load(rem0, 16);
    const rankLow = v128.load(rank);
    const rankHigh = v128.load(rank, 16);
    const row = <usize>p * <usize>d1 * 4;
    for (let r = 0; r < d1; r++) {
      if (r > 0) {
        const turning = i32x4.splat(d - r + 1);
        low = i32x4.sub(i32x4.add(low, one), v128.and(i32x4.eq(rankLow, turning), stepBack));
        high = i32x4.sub(i32x4.add(high, one), v128.and(i32x4.eq(rankHigh, turning), stepBack));
      }
      const k = recent + (<usize>r << 5);
      const changed = v128.or(v128.and(v128.xor(low, v128.load(k)), maskLow), v128.and(v128.xor(high, v128.load(k, 16)), maskHigh));
      v128.store(k, low);
      v128.store(k, high, 16);
      const o = offsets + row + (<usize>r << 2);
      store<i32>(o, p == 0 || v128.any_true(changed) ? findOrInsert(k) + 1 : load<i32>(o - (<usize>d1 << 2)));
      store<f32>(weights + row + (<usize>r << 2), <f32>load<f64>(bary + (<usize>r << 3)));
    }
  }
}

/** As the TypeScript version: one lookup per (axis, vertex) fills both its "before" and the other's "after". */
function linkNeighbours(d: i32, m: i32): void {
  const rowBytes = <usize>d << 2;
  for (let j = 0; j <= d; j++) {
    // The step along axis j, and so the change in hash: +d on coordinate j and −1 elsewhere.
    for (let i = 0; i < d; i++) store<i32>(key + (<usize>i << 2), i == j ? d : -1);
    const step = hashAt(key);
    for (let v = 0; v < m; v++) {
      const k = keys + <usize>v * rowBytes;
      for (let i = 0; i < d; i++) store<i32>(key + (<usize>i << 2), load<i32>(k + (<usize>i << 2)) - 1);
      if (j < d) store<i32>(key + (<usize>j << 2), load<i32>(k + (<usize>j << 2)) + d);
      const u = load<i32>(probe(key, load<i32>(hashes + (<usize>v << 2)) + step), 4);
      store<i32>(builtBefore + (<usize>(j * m + v) << 2), u + 1);
      if (u >= 0) store<i32>(builtAfter + (<usize>(j * m + u) << 2), v + 1);
    }
  }
}

/**
 * One lattice as a descriptor of 8 words at `lattice`: offsets, weights, before, after (addresses), points,
 * dims, vertices, and the per-point normalizer 1/Σ_j k(i, j) (address; written by `normalizer`).
 */
@inline function field(lattice: usize, i: i32): i32 {
  return load<i32>(lattice + (<usize>i << 2));
}

/** The filter's gain at the centre (Krähenbühl's constant), as in the TypeScript version. */
@inline function gainOf(d: i32): f32 {
  return <f32>(1 / (1 + Math.pow(2, -<f64>d)));
}

/** Blurs the splatted values in `src` along each of the d+1 axes, one f32 per vertex; returns where the result is. */
function blurOne(lattice: usize, src: usize, dst: usize): usize {
  const before = <usize>field(lattice, 2);
  const after = <usize>field(lattice, 3);
  const m = field(lattice, 6);
  const d1 = field(lattice, 5) + 1;
  store<f32>(dst, 0);
  for (let j = 0; j < d1; j++) {
    const b = before + (<usize>(j * m) << 2);
    const a = after + (<usize>(j * m) << 2);
    for (let v = 0; v < m; v++) {
      const o = <usize>v << 2;
      const lo = load<f32>(src + (<usize>load<i32>(b + o) << 2));
      const hi = load<f32>(src + (<usize>load<i32>(a + o) << 2));
      store<f32>(dst + o, load<f32>(src + o, 4) + 0.5 * (lo + hi), 4);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/**
 * Filters channel `first` of `values` (stride `channels` floats) into `out` (stride `outStride`): splat,
 * blur, slice times the gain. `bufA`, `bufB` hold (vertices + 1) floats.
 */
function filterOne(lattice: usize, values: usize, channels: i32, first: i32, out: usize, outStride: i32, bufA: usize, bufB: usize): void {
  const offsets = <usize>field(lattice, 0);
  const weights = <usize>field(lattice, 1);
  const n = field(lattice, 4);
  const d1 = field(lattice, 5) + 1;
  const m = field(lattice, 6);
  memory.fill(bufA, 0, <usize>(m + 1) << 2);
  const rowBytes = <usize>d1 << 2;
  for (let p = 0; p < n; p++) {
    const v = load<f32>(values + (<usize>(p * channels + first) << 2));
    const row = <usize>p * rowBytes;
    for (let r: usize = 0; r < rowBytes; r += 4) {
      const at = bufA + (<usize>load<i32>(offsets + row + r) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(weights + row + r) * v);
    }
  }
  const blurred = blurOne(lattice, bufA, bufB);
  const gain = gainOf(d1 - 1);
  for (let p = 0; p < n; p++) {
    const row = <usize>p * rowBytes;
    let acc: f32 = 0;
    for (let r: usize = 0; r < rowBytes; r += 4) acc += load<f32>(weights + row + r) * load<f32>(blurred + (<usize>load<i32>(offsets + row + r) << 2));
    store<f32>(out + (<usize>(p * outStride + first) << 2), gain * acc);
  }
}

/**
 * Filters channels first..first+width-1 (2 ≤ width ≤ 4) of `values` into lanes of `out`, whose stride
 * `outStride` leaves room for four (the lanes past `width` get garbage). `bufA`, `bufB` hold (vertices + 1) × 4
 * floats. `values` must be readable 12 bytes past its end.
 */
function filterFour(lattice: usize, values: usize, channels: i32, first: i32, width: i32, out: usize, outStride: i32, bufA: usize, bufB: usize): void {
  const offsets = <usize>field(lattice, 0);
  const weights = <usize>field(lattice, 1);
  const before = <usize>field(lattice, 2);
  const after = <usize>field(lattice, 3);
  const n = field(lattice, 4);
  const d1 = field(lattice, 5) + 1;
  const m = field(lattice, 6);
  memory.fill(bufA, 0, <usize>(m + 1) << 4);
  const keep = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(width));
  const rowBytes = <usize>d1 << 2;
  for (let p = 0; p < n; p++) {
    const v = v128.and(v128.load(values + (<usize>(p * channels + first) << 2)), keep);
    const row = <usize>p * rowBytes;
    for (let r: usize = 0; r < rowBytes; r += 4) {
      const at = bufA + (<usize>load<i32>(offsets + row + r) << 4);
      v128.store(at, f32x4.add(v128.load(at), f32x4.mul(f32x4.splat(load<f32>(weights + row + r)), v)));
    }
  }
  const half = f32x4.splat(0.5);
  let src = bufA;
  let dst = bufB;
  v128.store(dst, f32x4.splat(0));
  for (let j = 0; j < d1; j++) {
    const b = before + (<usize>(j * m) << 2);
    const a = after + (<usize>(j * m) << 2);
    for (let v = 0; v < m; v++) {
      const o = <usize>v << 2;
      const lo = v128.load(src + (<usize>load<i32>(b + o) << 4));
      const hi = v128.load(src + (<usize>load<i32>(a + o) << 4));
      const at = (<usize>v << 4) + 16;
      v128.store(dst + at, f32x4.add(v128.load(src + at), f32x4.mul(half, f32x4.add(lo, hi))));
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const gain = f32x4.splat(gainOf(d1 - 1));
  for (let p = 0; p < n; p++) {
    const row = <usize>p * rowBytes;
    let acc = f32x4.splat(0);
    for (let r: usize = 0; r < rowBytes; r += 4) {
      acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(weights + row + r)), v128.load(src + (<usize>load<i32>(offsets + row + r) << 4))));
    }
    v128.store(out + (<usize>(p * outStride + first) << 2), f32x4.mul(gain, acc));
  }
}

/**
 * Filters the first `count` channels of `values` (stride `channels`) into `out` (stride `outStride`, a multiple
 * of four unless `count` is 1), four channels at a time.
 */
export function filter(lattice: usize, values: usize, channels: i32, count: i32, out: usize, outStride: i32, bufA: usize, bufB: usize): void {
  if (count == 1) {
    filterOne(lattice, values, channels, 0, out, outStride, bufA, bufB);
    return;
  }
  for (let first = 0; first < count; first += 4) filterFour(lattice, values, channels, first, min(4, count - first), out, outStride, bufA, bufB);
}

/** The lattice's per-point normalizer 1/Σ_j k(i, j): the filtered ones, inverted, written to the descriptor's address. */
export function normalizer(lattice: usize, ones: usize, bufA: usize, bufB: usize): void {
  const n = field(lattice, 4);
  const norm = <usize>field(lattice, 7);
  for (let p = 0; p < n; p++) store<f32>(ones + (<usize>p << 2), 1);
  filterOne(lattice, ones, 1, 0, norm, 1, bufA, bufB);
  for (let p = 0; p < n; p++) {
    const at = norm + (<usize>p << 2);
    store<f32>(at, <f32>(1 / <f64>load<f32>(at)));
  }
}
