// SLIC's post-processing (Achanta et al., as used with thesis §2.1.1.1): clustering can leave a label in
// several pieces and stray pixels; every superpixel must be one 4-connected region with dense labels.

export interface ConnectedLabels {
  /** Labels 0..count-1, each one 4-connected region. */
  labels: Int32Array;
  count: number;
}

/** 4-connected pieces of a label map; piece i's pixels are pixels[starts[i] .. starts[i+1]). */
interface Pieces {
  /** Piece index per pixel (reused for the output labels). */
  ids: Int32Array;
  pixels: Int32Array;
  starts: Int32Array;
  count: number;
}

/**
 * Splits every label into its 4-connected pieces and merges each piece smaller than `minSize` pixels into
 * the adjacent piece closest in mean colour. Input labels may be any integers (e.g. -1 for unassigned
 * pixels); `colour` holds three channels per pixel (CIELAB for SLIC).
 */
export function enforceConnectivity(
  labels: Int32Array,
  colour: Float32Array,
  width: number,
  height: number,
  minSize: number,
): ConnectedLabels {
  const pieces = findPieces(labels, width, height);
  const root = mergeSmallPieces(pieces, colour, width, minSize);
  // Dense labels in raster order of each region's first pixel, which is its first piece's first pixel.
  const dense = new Int32Array(pieces.count).fill(-1);
  const pieceLabel = new Int32Array(pieces.count);
  let count = 0;
  for (let i = 0; i < pieces.count; i++) {
    const r = root[i];
    if (dense[r] < 0) dense[r] = count++;
    pieceLabel[i] = dense[r];
  }
  const out = pieces.ids;
  for (let p = 0; p < out.length; p++) out[p] = pieceLabel[out[p]];
  return { labels: out, count };
}

function findPieces(labels: Int32Array, width: number, height: number): Pieces {
  const n = width * height;
  const ids = new Int32Array(n).fill(-1);
  const pixels = new Int32Array(n);
  const seeds = new Int32Array(n);
  const starts = [0];
  let top = 0;
  for (let start = 0; start < n; start++) {
    if (ids[start] >= 0) continue;
    const id = starts.length - 1;
    const label = labels[start];
    let seedCount = 0;
    seeds[seedCount++] = start;
    // Span filling: a whole horizontal run is claimed at once and only its first unclaimed pixels above
    // and below become seeds, which touches each pixel about three times instead of five.
    while (seedCount > 0) {
      const seed = seeds[--seedCount];
      if (ids[seed] >= 0) continue;
      const rowStart = seed - (seed % width);
      let left = seed;
      while (left > rowStart && ids[left - 1] < 0 && labels[left - 1] === label) left--;
      let right = seed;
      while (right < rowStart + width - 1 && ids[right + 1] < 0 && labels[right + 1] === label) right++;
      for (let q = left; q <= right; q++) {
        ids[q] = id;
        pixels[top++] = q;
      }
      if (rowStart > 0) seedCount = seedSpans(labels, ids, label, left - width, right - width, seeds, seedCount);
      if (rowStart + width < n) seedCount = seedSpans(labels, ids, label, left + width, right + width, seeds, seedCount);
    }
    starts.push(top);
  }
  return { ids, pixels, starts: Int32Array.from(starts), count: starts.length - 1 };
}

/** Pushes the first pixel of every unclaimed run of `label` within [from, to]; returns the new seed count. */
function seedSpans(
  labels: Int32Array,
  ids: Int32Array,
  label: number,
  from: number,
  to: number,
  seeds: Int32Array,
  seedCount: number,
): number {
  let inSpan = false;
  for (let q = from; q <= to; q++) {
    const open = ids[q] < 0 && labels[q] === label;
    if (open && !inSpan) seeds[seedCount++] = q;
    inSpan = open;
  }
  return seedCount;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]];
  return i;
}

/** Colour sums and size per piece, four values each. */
function pieceSums({ ids, count }: Pieces, colour: Float32Array): Float64Array {
  const sums = new Float64Array(count * 4);
  for (let p = 0, q = 0; p < ids.length; p++, q += 3) {
    const s = ids[p] * 4;
    sums[s] += colour[q];
    sums[s + 1] += colour[q + 1];
    sums[s + 2] += colour[q + 2];
    sums[s + 3]++;
  }
  return sums;
}

/**
 * Merges small pieces, in raster order, each into the adjacent region closest in mean colour, preferring
 * regions of at least minSize so two small pieces do not pair up into an extra superpixel. Returns the
 * final region (a piece index) of every piece.
 */
function mergeSmallPieces(pieces: Pieces, colour: Float32Array, width: number, minSize: number): Int32Array {
  const { ids, pixels, starts, count } = pieces;
  const parent = Int32Array.from({ length: count }, (_, i) => i);
  // Region statistics live at the region's root.
  const sums = pieceSums(pieces, colour);
  const n = ids.length;
  for (let i = 0; i < count; i++) {
    const self = find(parent, i);
    const s = self * 4;
    if (sums[s + 3] >= minSize) continue;
    let best = -1;
    let bestDistance = Infinity;
    let bestIsLarge = false;
    for (let k = starts[i]; k < starts[i + 1]; k++) {
      const p = pixels[k];
      const x = p % width;
      for (let side = 0; side < 4; side++) {
        const q = side === 0 ? (x > 0 ? p - 1 : -1) : side === 1 ? (x < width - 1 ? p + 1 : -1) : side === 2 ? p - width : p + width;
        if (q < 0 || q >= n) continue;
        const other = find(parent, ids[q]);
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
    }
    // Alone in the image: nothing to merge with.
    if (best < 0) continue;
    parent[self] = best;
    for (let c = 0; c < 4; c++) sums[best * 4 + c] += sums[s + c];
  }
  const root = new Int32Array(count);
  for (let i = 0; i < count; i++) root[i] = find(parent, i);
  return root;
}
