// buildSuperpixelMap of src/core/superpixelStats.ts in WebAssembly, which stays the reference (slicWasm.test.ts
// compares every array): sizes, centroids, boxes and mean RGB summed per horizontal run, and the CSR adjacency.
// Run in the browser, the TypeScript version is the part of SLIC most at the mercy of the JavaScript engine: it
// deoptimises when a photo's pixels come as a Uint8ClampedArray after a warm-up on a Uint8Array, and runs
// interpreted until it is hot again.
import { scratchFrom, take } from './scratch';
import { geti, seti, getu, setu } from './slots';

const EMPTY: u64 = u64.MAX_VALUE;

// A set of label pairs, open addressing; the pair a < b is the key a·count + b, as in the TypeScript version.
let table: usize = 0;
let bits: i32 = 0;
let size: i32 = 0;

@inline
function slot(key: u64): i32 {
  return <i32>((key * 0x9e3779b97f4a7c15) >> <u64>(64 - bits));
}

function insert(key: u64): void {
  const mask = (1 << bits) - 1;
  let i = slot(key);
  for (;;) {
    const k = getu(table, i);
    if (k == key) return;
    if (k == EMPTY) break;
    i = (i + 1) & mask;
  }
  setu(table, i, key);
  if (++size * 2 > 1 << bits) rehash();
}

function rehash(): void {
  const old = table;
  const oldSlots = 1 << bits;
  bits++;
  table = take(1 << bits, 8);
  memory.fill(table, 0xff, <usize>(1 << bits) << 3);
  const mask = (1 << bits) - 1;
  for (let j = 0; j < oldSlots; j++) {
    const key = getu(old, j);
    if (key == EMPTY) continue;
    let i = slot(key);
    while (getu(table, i) != EMPTY) i = (i + 1) & mask;
    setu(table, i, key);
  }
}

@inline
function pair(a: i32, b: i32, count: i32): u64 {
  return a < b ? <u64>a * <u64>count + <u64>b : <u64>b * <u64>count + <u64>a;
}

function siftDown(keys: usize, root: i32, end: i32): void {
  for (;;) {
    let child = 2 * root + 1;
    if (child >= end) return;
    if (child + 1 < end && getu(keys, child) < getu(keys, child + 1)) child++;
    const r = getu(keys, root);
    const c = getu(keys, child);
    if (r >= c) return;
    setu(keys, root, c);
    setu(keys, child, r);
    root = child;
  }
}

function heapSort(keys: usize, n: i32): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(keys, i, n);
  for (let end = n - 1; end > 0; end--) {
    const top = getu(keys, 0);
    setu(keys, 0, getu(keys, end));
    setu(keys, end, top);
    siftDown(keys, 0, end);
  }
}

/**
 * Statistics of the dense labels 0..count-1 (width × height i32) over `rgba`, into the caller's arrays (sizes
 * and boxes i32, centroids and meanColors f32, offsets count + 1 i32); returns where the adjacency index lies,
 * in the scratch area, offsets[count] entries long.
 */
export function superpixelStats(labels: usize, rgba: usize, width: i32, height: i32, count: i32, sizes: usize, boxes: usize, centroids: usize, meanColors: usize, offsets: usize, scratch: usize): usize {
  scratchFrom(scratch);
  const sums = take(count * 5, 8);
  memory.fill(sums, 0, <usize>count * 40);
  memory.fill(sizes, 0, <usize>count << 2);
  for (let i = 0; i < count; i++) {
    seti(boxes, i * 4, width);
    seti(boxes, i * 4 + 1, height);
    seti(boxes, i * 4 + 2, -1);
    seti(boxes, i * 4 + 3, -1);
  }
  for (let y = 0, p = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      const l = geti(labels, p);
      const start = x;
      let r = 0;
      let g = 0;
      let b = 0;
      for (; x < width && geti(labels, p) == l; x++, p++) {
        const q = rgba + (<usize>p << 2);
        r += <i32>load<u8>(q);
        g += <i32>load<u8>(q, 1);
        b += <i32>load<u8>(q, 2);
      }
      const length = x - start;
      seti(sizes, l, geti(sizes, l) + length);
      const s = sums + <usize>l * 40;
      store<f64>(s, load<f64>(s) + (<f64>(start + x - 1) * <f64>length) / 2);
      store<f64>(s, load<f64>(s, 8) + <f64>y * <f64>length, 8);
      store<f64>(s, load<f64>(s, 16) + <f64>r, 16);
      store<f64>(s, load<f64>(s, 24) + <f64>g, 24);
      store<f64>(s, load<f64>(s, 32) + <f64>b, 32);
      const o = l * 4;
      if (start < geti(boxes, o)) seti(boxes, o, start);
      if (y < geti(boxes, o + 1)) seti(boxes, o + 1, y);
      if (x - 1 > geti(boxes, o + 2)) seti(boxes, o + 2, x - 1);
      if (y > geti(boxes, o + 3)) seti(boxes, o + 3, y);
    }
  }
  for (let l = 0; l < count; l++) {
    const n = geti(sizes, l);
    const size: f64 = n == 0 ? 1 : <f64>n;
    const s = sums + <usize>l * 40;
    store<f32>(centroids + (<usize>l << 3), <f32>(load<f64>(s) / size));
    store<f32>(centroids + (<usize>l << 3), <f32>(load<f64>(s, 8) / size), 4);
    for (let c = 0; c < 3; c++) store<f32>(meanColors + <usize>(l * 3 + c) * 4, <f32>(load<f64>(s + <usize>(16 + c * 8)) / size));
  }

  // Boundaries repeat the same pair pixel after pixel; remembering the last one skips most lookups.
  bits = 10;
  while (1 << bits < count * 8) bits++;
  table = take(1 << bits, 8);
  memory.fill(table, 0xff, <usize>(1 << bits) << 3);
  size = 0;
  let lastRight = EMPTY;
  let lastDown = EMPTY;
  for (let y = 0, p = 0; y < height; y++) {
    const below = y + 1 < height;
    for (let x = 0; x < width; x++, p++) {
      const a = geti(labels, p);
      if (x + 1 < width) {
        const b = geti(labels, p + 1);
        if (a != b) {
          const key = pair(a, b, count);
          if (key != lastRight) insert((lastRight = key));
        }
      }
      if (below) {
        const b = geti(labels, p + width);
        if (a != b) {
          const key = pair(a, b, count);
          if (key != lastDown) insert((lastDown = key));
        }
      }
    }
  }

  // In ascending key order every row of the CSR fills in ascending order: the pairs (a, i) with a < i all
  // come before the pairs (i, b).
  const keys = take(size, 8);
  let n = 0;
  for (let i = 0, slots = 1 << bits; i < slots; i++) {
    const key = getu(table, i);
    if (key != EMPTY) setu(keys, n++, key);
  }
  heapSort(keys, n);
  memory.fill(offsets, 0, <usize>(count + 1) << 2);
  for (let i = 0; i < n; i++) {
    const key = getu(keys, i);
    const a = <i32>(key / <u64>count);
    const b = <i32>(key % <u64>count);
    seti(offsets, a + 1, geti(offsets, a + 1) + 1);
    seti(offsets, b + 1, geti(offsets, b + 1) + 1);
  }
  for (let i = 0; i < count; i++) seti(offsets, i + 1, geti(offsets, i + 1) + geti(offsets, i));
  const fill = take(count, 4);
  memory.copy(fill, offsets, <usize>count << 2);
  const index = take(n * 2, 4);
  for (let i = 0; i < n; i++) {
    const key = getu(keys, i);
    const a = <i32>(key / <u64>count);
    const b = <i32>(key % <u64>count);
    const fa = geti(fill, a);
    seti(index, fa, b);
    seti(fill, a, fa + 1);
    const fb = geti(fill, b);
    seti(index, fb, a);
    seti(fill, b, fb + 1);
  }
  return index;
}
