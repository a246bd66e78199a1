// Label-space search (thesis §5.4.3, Fig. 5.7): a region of a label map is represented by the label
// autoencoder's bottleneck cells that cover it, and the most similar regions are the same-sized windows of
// bottleneck cells, in any map, nearest to it. The bottleneck is coarse (a cell covers 1/16 of the working
// size per side), so a region is a rectangle of cells, as in the thesis.

/** A pixel rectangle, half-open: x0 ≤ x < x1, y0 ≤ y < y1. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The encoder's code of one map: `values[(row * cols + col) * channels + channel]`. */
export interface CodeGrid {
  rows: number;
  cols: number;
  channels: number;
  values: Float32Array;
}

/** A rectangle of bottleneck cells. */
export interface GridWindow {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface ClassRegion {
  classIndex: number;
  /** Pixels in the region. */
  size: number;
  box: Box;
}

/** The 4-connected region of the class under pixel (x, y) and its bounding box. */
export function classRegion(classes: Uint8Array, width: number, height: number, x: number, y: number): ClassRegion {
  if (!(x >= 0 && x < width && y >= 0 && y < height)) throw new RangeError(`pixel (${x}, ${y}) is outside the ${width}×${height} map`);
  const start = Math.floor(y) * width + Math.floor(x);
  const classIndex = classes[start];
  const seen = new Uint8Array(width * height);
  const stack = [start];
  seen[start] = 1;
  const box = { x0: width, y0: height, x1: 0, y1: 0 };
  let size = 0;
  while (stack.length) {
    const p = stack.pop()!;
    const px = p % width;
    const py = (p - px) / width;
    size++;
    box.x0 = Math.min(box.x0, px);
    box.y0 = Math.min(box.y0, py);
    box.x1 = Math.max(box.x1, px + 1);
    box.y1 = Math.max(box.y1, py + 1);
    const visit = (q: number) => {
      if (!seen[q] && classes[q] === classIndex) {
        seen[q] = 1;
        stack.push(q);
      }
    };
    if (px > 0) visit(p - 1);
    if (px < width - 1) visit(p + 1);
    if (py > 0) visit(p - width);
    if (py < height - 1) visit(p + width);
  }
  return { classIndex, size, box };
}

/**
 * The cells covering a pixel box of a width×height map whose code is a rows×cols grid (the map is stretched to
 * the working square, so cell edges fall at fractions of the map's own sides).
 */
export function boxToWindow(box: Box, width: number, height: number, grid: Pick<CodeGrid, 'rows' | 'cols'>): GridWindow {
  const col = Math.min(grid.cols - 1, Math.floor((box.x0 * grid.cols) / width));
  const row = Math.min(grid.rows - 1, Math.floor((box.y0 * grid.rows) / height));
  const col1 = Math.max(col + 1, Math.ceil((box.x1 * grid.cols) / width));
  const row1 = Math.max(row + 1, Math.ceil((box.y1 * grid.rows) / height));
  return { row, col, rows: Math.min(grid.rows, row1) - row, cols: Math.min(grid.cols, col1) - col };
}

/** The pixels a window of cells covers in a width×height map (those whose start lies inside its cells). */
export function windowToBox(w: GridWindow, width: number, height: number, grid: Pick<CodeGrid, 'rows' | 'cols'>): Box {
  return {
    x0: Math.ceil((w.col * width) / grid.cols),
    y0: Math.ceil((w.row * height) / grid.rows),
    x1: Math.floor(((w.col + w.cols) * width) / grid.cols),
    y1: Math.floor(((w.row + w.rows) * height) / grid.rows),
  };
}

function overlaps(a: GridWindow, b: GridWindow): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}

/** Root mean square difference between the codes of two equally sized windows. */
export function windowDistance(a: CodeGrid, wa: GridWindow, b: CodeGrid, wb: GridWindow): number {
  if (a.channels !== b.channels || wa.rows !== wb.rows || wa.cols !== wb.cols) throw new RangeError('windows of different shapes');
  const c = a.channels;
  let sum = 0;
  for (let r = 0; r < wa.rows; r++) {
    for (let k = 0; k < wa.cols; k++) {
      const ia = ((wa.row + r) * a.cols + wa.col + k) * c;
      const ib = ((wb.row + r) * b.cols + wb.col + k) * c;
      for (let j = 0; j < c; j++) {
        const d = a.values[ia + j] - b.values[ib + j];
        sum += d * d;
      }
    }
  }
  return Math.sqrt(sum / (wa.rows * wa.cols * c));
}

export interface WindowMatch {
  /** Index into the searched grids. */
  grid: number;
  window: GridWindow;
  distance: number;
}

/**
 * The `count` windows nearest to the query (the window `query.window` of `grids[query.grid]`), every position
 * of its size in every grid considered. A window overlapping the query itself, or one already returned in the
 * same grid, is skipped, so each match shows a different place.
 */
export function nearestWindows(grids: readonly CodeGrid[], query: { grid: number; window: GridWindow }, count: number): WindowMatch[] {
  const q = grids[query.grid];
  const { rows, cols } = query.window;
  const candidates: WindowMatch[] = [];
  grids.forEach((g, i) => {
    for (let row = 0; row + rows <= g.rows; row++) {
      for (let col = 0; col + cols <= g.cols; col++) {
        const window = { row, col, rows, cols };
        candidates.push({ grid: i, window, distance: windowDistance(q, query.window, g, window) });
      }
    }
  });
  candidates.sort((a, b) => a.distance - b.distance);
  const taken: WindowMatch[] = [{ grid: query.grid, window: query.window, distance: 0 }];
  const matches: WindowMatch[] = [];
  for (const m of candidates) {
    if (matches.length === count) break;
    if (taken.some((t) => t.grid === m.grid && overlaps(t.window, m.window))) continue;
    taken.push(m);
    matches.push(m);
  }
  return matches;
}
