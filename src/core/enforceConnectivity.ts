// SLIC's post-processing (Achanta et al., as used with thesis §2.1.1.1): clustering can leave a label in
// several pieces and stray pixels; every superpixel must be one 4-connected region with dense labels.
// Works on horizontal runs of equal labels rather than pixels: a superpixel row is one run, so the
// bookkeeping is per run and the per-pixel work is a single comparison (a flood fill cost ~3× more).

export interface ConnectedLabels {
  /** Labels 0..count-1, each one 4-connected region. */
  labels: Int32Array;
  count: number;
}

/** Maximal horizontal runs of one label; run r covers pixels start[r] .. start[r+1]-1 of a single row. */
interface Runs {
  start: Int32Array;
  count: number;
  /** First run of each row, and rowRuns[height] = count. */
  rowRuns: Int32Array;
}

/**
 * Splits every label into its 4-connected pieces and merges each piece smaller than `minSize` pixels into
 * the adjacent region closest in mean colour, preferring regions of at least minSize so two small pieces do
 * not pair up into an extra superpixel. Input labels may be any integers (e.g. -1 for unassigned pixels);
 * `colour` holds three channels per pixel (CIELAB for SLIC).
 */
export function enforceConnectivity(
  labels: Int32Array,
  colour: Float32Array,
  width: number,
  height: number,
  minSize: number,
): ConnectedLabels {
  const runs = findRuns(labels, width, height);
  const { piece, pairs } = connectRuns(labels, width, height, runs);
  const sums = pieceSums(runs, piece, colour);
  const region = mergeSmallPieces(piece, neighbourLists(runs.count, piece, pairs), sums, minSize);
  // Dense labels in raster order of each region's first pixel.
  const dense = new Int32Array(runs.count).fill(-1);
  const out = new Int32Array(labels.length);
  let count = 0;
  const { start } = runs;
  for (let r = 0; r < runs.count; r++) {
    const final = region[piece[r]];
    if (dense[final] < 0) dense[final] = count++;
    // A plain loop: TypedArray fill's call overhead exceeds the work on runs this short.
    for (let p = start[r], label = dense[final]; p < start[r + 1]; p++) out[p] = label;
  }
  return { labels: out, count };
}

function findRuns(labels: Int32Array, width: number, height: number): Runs {
  let count = 0;
  for (let y = 0, p = 0; y < height; y++, p++) {
    count++;
    for (let x = 1; x < width; x++) if (labels[p + x] !== labels[p + x - 1]) count++;
    p += width - 1;
  }
  const start = new Int32Array(count + 1);
  const rowRuns = new Int32Array(height + 1);
  let r = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    rowRuns[y] = r;
    start[r++] = row;
    for (let x = 1; x < width; x++) if (labels[row + x] !== labels[row + x - 1]) start[r++] = row + x;
  }
  start[count] = width * height;
  rowRuns[height] = count;
  return { start, count, rowRuns };
}

/** Root of i with path halving. */
function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]];
  return i;
}

function identity(count: number): Int32Array {
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  return parent;
}

/**
 * Unites 4-touching runs of equal label into pieces; `piece[r]` is the piece's first run (so pieces sort in
 * raster order of their first pixel). `pairs` lists touching runs of different labels, two entries each.
 */
function connectRuns(labels: Int32Array, width: number, height: number, { start, count, rowRuns }: Runs) {
  const parent = identity(count);
  // Per row boundary at most (runs above + runs below) touching pairs, plus the pairs within each row.
  const pairs = new Int32Array(count * 6);
  let n = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let r = rowRuns[y]; r < rowRuns[y + 1] - 1; r++) {
      pairs[n++] = r;
      pairs[n++] = r + 1;
    }
    if (y === 0) continue;
    const above = row - width;
    let s = rowRuns[y - 1];
    for (let r = rowRuns[y]; r < rowRuns[y + 1]; r++) {
      const x0 = start[r] - row;
      const x1 = start[r + 1] - row;
      while (start[s + 1] - above <= x0) s++;
      for (let t = s; t < rowRuns[y] && start[t] - above < x1; t++) {
        if (labels[start[t]] !== labels[start[r]]) {
          pairs[n++] = r;
          pairs[n++] = t;
        } else {
          const a = find(parent, r);
          const b = find(parent, t);
          if (a < b) parent[b] = a;
          else if (b < a) parent[a] = b;
        }
      }
    }
  }
  for (let r = 0; r < count; r++) parent[r] = find(parent, r);
  return { piece: parent, pairs: pairs.subarray(0, n) };
}

/** Colour sums and size of every piece, four values at its first run's index. */
function pieceSums({ start, count }: Runs, piece: Int32Array, colour: Float32Array): Float64Array {
  const sums = new Float64Array(count * 4);
  for (let r = 0; r < count; r++) {
    let l = 0;
    let a = 0;
    let b = 0;
    for (let q = start[r] * 3; q < start[r + 1] * 3; q += 3) {
      l += colour[q];
      a += colour[q + 1];
      b += colour[q + 2];
    }
    const s = piece[r] * 4;
    sums[s] += l;
    sums[s + 1] += a;
    sums[s + 2] += b;
    sums[s + 3] += start[r + 1] - start[r];
  }
  return sums;
}

/** CSR lists of touching pieces per piece (repeats allowed), indexed by the piece's first run. */
function neighbourLists(count: number, piece: Int32Array, pairs: Int32Array) {
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < pairs.length; i++) offsets[piece[pairs[i]] + 1]++;
  for (let i = 0; i < count; i++) offsets[i + 1] += offsets[i];
  const next = offsets.slice(0, count);
  const list = new Int32Array(pairs.length);
  for (let i = 0; i < pairs.length; i += 2) {
    const a = piece[pairs[i]];
    const b = piece[pairs[i + 1]];
    list[next[a]++] = b;
    list[next[b]++] = a;
  }
  return { offsets, list };
}

/**
 * Merges small pieces, in raster order, each into the touching region closest in mean colour; returns the
 * final region of every piece. `sums` (colour sums and size) is updated in place at region roots.
 */
function mergeSmallPieces(
  piece: Int32Array,
  { offsets, list }: { offsets: Int32Array; list: Int32Array },
  sums: Float64Array,
  minSize: number,
): Int32Array {
  const count = piece.length;
  const parent = identity(count);
  // A region can still be small after its last piece was visited (it absorbed only small neighbours), so
  // sweep again until nothing merges; each merge removes a region, so this ends, usually after one more sweep.
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < count; i++) {
      if (piece[i] !== i) continue;
      const self = find(parent, i);
      const s = self * 4;
      if (sums[s + 3] >= minSize) continue;
      let best = -1;
      let bestDistance = Infinity;
      let bestIsLarge = false;
      for (let k = offsets[i]; k < offsets[i + 1]; k++) {
        const other = find(parent, list[k]);
        if (other === self || other === best) continue;
        const o = other * 4;
        const large = sums[o + 3] >= minSize;
        if (bestIsLarge && !large) continue;
        const dl = sums[o] / sums[o + 3] - sums[s] / sums[s + 3];
        const da = sums[o + 1] / sums[o + 3] - sums[s + 1] / sums[s + 3];
        const db = sums[o + 2] / sums[o + 3] - sums[s + 2] / sums[s + 3];
        const d = dl * dl + da * da + db * db;
        if (d < bestDistance || (large && !bestIsLarge)) {
          bestDistance = d;
          best = other;
          bestIsLarge = large;
        }
      }
      // Touches only its own region here; another of its pieces (or nothing, in a one-region image) does.
      if (best < 0) continue;
      parent[self] = best;
      merged = true;
      for (let c = 0; c < 4; c++) sums[best * 4 + c] += sums[s + c];
    }
  }
  for (let i = 0; i < count; i++) parent[i] = find(parent, i);
  return parent;
}
