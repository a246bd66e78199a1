// SLIC's post-processing (Achanta et al., as used with thesis §2.1.1.1): clustering can leave a label in
// several pieces and stray pixels; every superpixel must be one 4-connected region with dense labels.

export interface ConnectedLabels {
  /** Labels 0..count-1, each one 4-connected region. */
  labels: Int32Array;
  count: number;
}

/** 4-connected pieces of a label map; piece i's pixels are pixels[starts[i] .. starts[i+1]). */
interface Pieces {
  /** Piece index per pixel. */
  ids: Int32Array;
  pixels: Int32Array;
  starts: Int32Array;
  count: number;
  /** Column of every pixel, read instead of p % width: the integer division dominated the flood fill. */
  column: Int32Array;
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
  // Dense labels in raster order of each merged region's first pixel.
  const dense = new Int32Array(pieces.count).fill(-1);
  const out = new Int32Array(labels.length);
  let count = 0;
  for (let p = 0; p < out.length; p++) {
    const r = root[pieces.ids[p]];
    if (dense[r] < 0) dense[r] = count++;
    out[p] = dense[r];
  }
  return { labels: out, count };
}

function findPieces(labels: Int32Array, width: number, height: number): Pieces {
  const n = width * height;
  const ids = new Int32Array(n).fill(-1);
  const pixels = new Int32Array(n);
  const starts = [0];
  const column = new Int32Array(n);
  for (let p = 0; p < n; p += width) for (let x = 0; x < width; x++) column[p + x] = x;
  let top = 0;
  for (let start = 0; start < n; start++) {
    if (ids[start] >= 0) continue;
    const id = starts.length - 1;
    const label = labels[start];
    let next = top;
    ids[start] = id;
    pixels[top++] = start;
    // The pixel list doubles as the flood fill's queue.
    while (next < top) {
      const p = pixels[next++];
      const x = column[p];
      if (x > 0 && ids[p - 1] < 0 && labels[p - 1] === label) {
        ids[p - 1] = id;
        pixels[top++] = p - 1;
      }
      if (x < width - 1 && ids[p + 1] < 0 && labels[p + 1] === label) {
        ids[p + 1] = id;
        pixels[top++] = p + 1;
      }
      if (p >= width && ids[p - width] < 0 && labels[p - width] === label) {
        ids[p - width] = id;
        pixels[top++] = p - width;
      }
      if (p < (height - 1) * width && ids[p + width] < 0 && labels[p + width] === label) {
        ids[p + width] = id;
        pixels[top++] = p + width;
      }
    }
    starts.push(top);
  }
  return { ids, pixels, starts: Int32Array.from(starts), count: starts.length - 1, column };
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]];
  return i;
}

/** Colour sums and size per piece, four values each. */
function pieceSums({ pixels, starts, count }: Pieces, colour: Float32Array): Float64Array {
  const sums = new Float64Array(count * 4);
  for (let i = 0, s = 0; i < count; i++, s += 4) {
    for (let k = starts[i]; k < starts[i + 1]; k++) {
      const q = pixels[k] * 3;
      sums[s] += colour[q];
      sums[s + 1] += colour[q + 1];
      sums[s + 2] += colour[q + 2];
    }
    sums[s + 3] = starts[i + 1] - starts[i];
  }
  return sums;
}

/**
 * Merges small pieces, in raster order, each into the adjacent region closest in mean colour, preferring
 * regions of at least minSize so two small pieces do not pair up into an extra superpixel. Returns the
 * final region (a piece index) of every piece.
 */
function mergeSmallPieces(pieces: Pieces, colour: Float32Array, width: number, minSize: number): Int32Array {
  const { ids, pixels, starts, count, column } = pieces;
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
      for (let side = 0; side < 4; side++) {
        const q = side === 0 ? (column[p] > 0 ? p - 1 : -1) : side === 1 ? (column[p] < width - 1 ? p + 1 : -1) : side === 2 ? p - width : p + width;
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
