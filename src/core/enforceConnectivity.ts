// SLIC's post-processing (Achanta et al., as used with thesis §2.1.1.1): clustering can leave a label in
// several pieces and stray pixels; every superpixel must be one 4-connected region with dense labels.

export interface ConnectedLabels {
  /** Labels 0..count-1, each one 4-connected region. */
  labels: Int32Array;
  count: number;
}

/**
 * Splits every label into its 4-connected pieces and merges pieces smaller than `minSize` pixels into an
 * adjacent piece. Input labels may be any integers (e.g. -1 for unassigned pixels).
 */
export function enforceConnectivity(labels: Int32Array, width: number, height: number, minSize: number): ConnectedLabels {
  const n = width * height;
  const out = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  // Column of every pixel, read instead of p % width: the integer division dominated the flood fill.
  const column = new Int32Array(n);
  for (let p = 0; p < n; p += width) for (let x = 0; x < width; x++) column[p + x] = x;
  let count = 0;
  let firstIsOrphan = false;
  for (let start = 0; start < n; start++) {
    if (out[start] >= 0) continue;
    const label = labels[start];
    const size = fill(labels, column, width, height, out, stack, start, label, count);
    // Raster order: the pixel above or left of a piece's first pixel already belongs to a finished piece.
    const neighbour = start >= width ? out[start - width] : start > 0 ? out[start - 1] : -1;
    if (size >= minSize) count++;
    else if (neighbour >= 0) for (let i = 0; i < size; i++) out[stack[i]] = neighbour;
    else {
      firstIsOrphan = true;
      count++;
    }
  }
  if (firstIsOrphan && count > 1) count = mergeFirstPiece(out, width, height, count);
  return { labels: out, count };
}

/** Flood-fills the 4-connected piece of `label` at `start` with `id`; its pixels end up in stack[0..size). */
function fill(
  labels: Int32Array,
  column: Int32Array,
  width: number,
  height: number,
  out: Int32Array,
  stack: Int32Array,
  start: number,
  label: number,
  id: number,
): number {
  let size = 0;
  let top = 0;
  out[start] = id;
  stack[top++] = start;
  // The stack doubles as the piece's pixel list: entries below `top` are never overwritten.
  while (size < top) {
    const p = stack[size++];
    const x = column[p];
    if (x > 0 && out[p - 1] < 0 && labels[p - 1] === label) {
      out[p - 1] = id;
      stack[top++] = p - 1;
    }
    if (x < width - 1 && out[p + 1] < 0 && labels[p + 1] === label) {
      out[p + 1] = id;
      stack[top++] = p + 1;
    }
    if (p >= width && out[p - width] < 0 && labels[p - width] === label) {
      out[p - width] = id;
      stack[top++] = p - width;
    }
    if (p < (height - 1) * width && out[p + width] < 0 && labels[p + width] === label) {
      out[p + width] = id;
      stack[top++] = p + width;
    }
  }
  return size;
}

/** The piece at pixel 0 had no finished neighbour when it was found: merge it into any adjacent piece now. */
function mergeFirstPiece(out: Int32Array, width: number, height: number, count: number): number {
  let target = -1;
  for (let p = 0; p < out.length && target < 0; p++) {
    if (out[p] !== 0) continue;
    const x = p % width;
    if (x > 0 && out[p - 1] !== 0) target = out[p - 1];
    else if (x < width - 1 && out[p + 1] !== 0) target = out[p + 1];
    else if (p >= width && out[p - width] !== 0) target = out[p - width];
    else if (p < (height - 1) * width && out[p + width] !== 0) target = out[p + width];
  }
  for (let p = 0; p < out.length; p++) out[p] = (out[p] === 0 ? target : out[p]) - 1;
  return count - 1;
}
