// SLIC's post-processing (thesis §2.1.1.1), operation for operation as src/core/enforceConnectivity.ts, which
// stays the reference (slicWasm.test.ts compares the labels): every label split into its 4-connected pieces,
// pieces smaller than minSize merged into the touching region closest in mean colour, dense labels in raster
// order. Works on horizontal runs; its scratch buffers are laid out from `scratch` up, growing memory as needed.
import { scratchFrom, take } from './scratch';
import { geti, seti, getf, setf } from './slots';

/** Root of i with path halving. */
function find(parent: usize, i: i32): i32 {
  while (geti(parent, i) != i) {
    const up = geti(parent, geti(parent, i));
    seti(parent, i, up);
    i = up;
  }
  return i;
}

/** Dense connected labels of `labels` (width × height i32, colours in the Lab planes) written to `out`; returns their count. */
export function enforceConnectivity(labels: usize, planeL: usize, planeA: usize, planeB: usize, width: i32, height: i32, minSize: i32, scratch: usize, out: usize): i32 {
  // Runs: start[r] is the first pixel of run r; rowRuns[y] the first run of row y. One pass finds them, into room
  // for the most there can be (a run per pixel); the rest is sized by their count.
  scratchFrom(scratch);
  const start = take(width * height + 1, 4);
  const rowRuns = take(height + 1, 4);
  let count = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    seti(rowRuns, y, count);
    seti(start, count++, row);
    for (let x = 1; x < width; x++) if (geti(labels, row + x) != geti(labels, row + x - 1)) seti(start, count++, row + x);
  }
  seti(start, count, width * height);
  seti(rowRuns, height, count);
  const parent = take(count, 4);
  const pairs = take(count * 6, 4);
  const sums = take(count * 4, 8);
  const offsets = take(count + 1, 4);
  const next = take(count, 4);
  const list = take(count * 6, 4);
  const region = take(count, 4);
  const dense = take(count, 4);

  // Touching runs of one label become one piece (parent: the piece's first run); others are listed as pairs.
  for (let i = 0; i < count; i++) seti(parent, i, i);
  let n = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const first = geti(rowRuns, y);
    const end = geti(rowRuns, y + 1);
    for (let q = first; q < end - 1; q++) {
      seti(pairs, n++, q);
      seti(pairs, n++, q + 1);
    }
    if (y == 0) continue;
    const above = row - width;
    let s = geti(rowRuns, y - 1);
    for (let q = first; q < end; q++) {
      const x0 = geti(start, q) - row;
      const x1 = geti(start, q + 1) - row;
      while (geti(start, s + 1) - above <= x0) s++;
      const label = geti(labels, geti(start, q));
      for (let t = s; t < first && geti(start, t) - above < x1; t++) {
        if (geti(labels, geti(start, t)) != label) {
          seti(pairs, n++, q);
          seti(pairs, n++, t);
        } else {
          const a = find(parent, q);
          const b = find(parent, t);
          if (a < b) seti(parent, b, a);
          else if (b < a) seti(parent, a, b);
        }
      }
    }
  }
  for (let i = 0; i < count; i++) seti(parent, i, find(parent, i));

  // Colour sums and size per piece, at its first run's index.
  memory.fill(sums, 0, <usize>count * 32);
  for (let i = 0; i < count; i++) {
    let l: f64 = 0;
    let a: f64 = 0;
    let b: f64 = 0;
    const e = geti(start, i + 1);
    for (let p = geti(start, i); p < e; p++) {
      const o = <usize>p << 2;
      l += <f64>load<f32>(planeL + o);
      a += <f64>load<f32>(planeA + o);
      b += <f64>load<f32>(planeB + o);
    }
    const o = geti(parent, i) * 4;
    setf(sums, o, getf(sums, o) + l);
    setf(sums, o + 1, getf(sums, o + 1) + a);
    setf(sums, o + 2, getf(sums, o + 2) + b);
    setf(sums, o + 3, getf(sums, o + 3) + <f64>(geti(start, i + 1) - geti(start, i)));
  }

  // CSR lists of touching pieces per piece (repeats allowed).
  memory.fill(offsets, 0, <usize>(count + 1) << 2);
  for (let i = 0; i < n; i++) {
    const k = geti(parent, geti(pairs, i)) + 1;
    seti(offsets, k, geti(offsets, k) + 1);
  }
  for (let i = 0; i < count; i++) seti(offsets, i + 1, geti(offsets, i + 1) + geti(offsets, i));
  memory.copy(next, offsets, <usize>count << 2);
  for (let i = 0; i < n; i += 2) {
    const a = geti(parent, geti(pairs, i));
    const b = geti(parent, geti(pairs, i + 1));
    seti(list, geti(next, a), b);
    seti(next, a, geti(next, a) + 1);
    seti(list, geti(next, b), a);
    seti(next, b, geti(next, b) + 1);
  }

  // Small pieces, in raster order, into the touching region closest in mean colour, preferring regions of at
  // least minSize; swept again until nothing merges.
  for (let i = 0; i < count; i++) seti(region, i, i);
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < count; i++) {
      if (geti(parent, i) != i) continue;
      const self = find(region, i);
      const s = self * 4;
      if (getf(sums, s + 3) >= <f64>minSize) continue;
      let best = -1;
      let bestDistance: f64 = Infinity;
      let bestIsLarge = false;
      const e = geti(offsets, i + 1);
      for (let k = geti(offsets, i); k < e; k++) {
        const other = find(region, geti(list, k));
        if (other == self || other == best) continue;
        const o = other * 4;
        const large = getf(sums, o + 3) >= <f64>minSize;
        if (bestIsLarge && !large) continue;
        const dl = getf(sums, o) / getf(sums, o + 3) - getf(sums, s) / getf(sums, s + 3);
        const da = getf(sums, o + 1) / getf(sums, o + 3) - getf(sums, s + 1) / getf(sums, s + 3);
        const db = getf(sums, o + 2) / getf(sums, o + 3) - getf(sums, s + 2) / getf(sums, s + 3);
        const d = dl * dl + da * da + db * db;
        if (d < bestDistance || (large && !bestIsLarge)) {
          bestDistance = d;
          best = other;
          bestIsLarge = large;
        }
      }
      if (best < 0) continue;
      seti(region, self, best);
      merged = true;
      for (let c = 0; c < 4; c++) setf(sums, best * 4 + c, getf(sums, best * 4 + c) + getf(sums, s + c));
    }
  }

  // Dense labels in raster order of each region's first pixel.
  for (let i = 0; i < count; i++) seti(dense, i, -1);
  let labelsOut = 0;
  for (let i = 0; i < count; i++) {
    const final = find(region, geti(parent, i));
    if (geti(dense, final) < 0) seti(dense, final, labelsOut++);
    const label = geti(dense, final);
    const e = geti(start, i + 1);
    for (let p = geti(start, i); p < e; p++) seti(out, p, label);
  }
  return labelsOut;
}
