// SLIC's initial cluster centres (thesis §2.1.1.1, Algorithm 1 lines 1–2): a regular grid at interval
// S = √(N/k), each seed moved to the lowest-gradient pixel of its 3×3 neighbourhood so it starts neither on an
// edge nor on a noisy pixel. Shared by the fast and the reference clustering so they start identically.

/** Values per centre in a centre array: L, a, b, x, y. */
export const CENTRE_STRIDE = 5;

/** Grid interval S = √(N/k) of eq. 2.1.1 and the search window. */
export function gridInterval(width: number, height: number, k: number): number {
  return Math.sqrt((width * height) / k);
}

/** Squared Lab gradient magnitude at an interior pixel (central differences). */
function gradient(lab: Float32Array, width: number, x: number, y: number): number {
  const l = (y * width + x - 1) * 3;
  const r = l + 6;
  const u = ((y - 1) * width + x) * 3;
  const d = ((y + 1) * width + x) * 3;
  let g = 0;
  for (let c = 0; c < 3; c++) {
    const gx = lab[r + c] - lab[l + c];
    const gy = lab[d + c] - lab[u + c];
    g += gx * gx + gy * gy;
  }
  return g;
}

/** Moves (x, y) to the lowest-gradient pixel of its 3×3 neighbourhood, staying where gradients exist. */
function lowestGradient(lab: Float32Array, width: number, height: number, x: number, y: number): [number, number] {
  if (width < 3 || height < 3) return [x, y];
  let best = Infinity;
  let bx = x;
  let by = y;
  for (let yy = Math.max(1, y - 1); yy <= Math.min(height - 2, y + 1); yy++) {
    for (let xx = Math.max(1, x - 1); xx <= Math.min(width - 2, x + 1); xx++) {
      const g = gradient(lab, width, xx, yy);
      if (g < best) {
        best = g;
        bx = xx;
        by = yy;
      }
    }
  }
  return [bx, by];
}

/** Seeds per row and per column for about k superpixels; at least one, at most one per pixel. */
export function seedGrid(width: number, height: number, k: number): { nx: number; ny: number } {
  const step = gridInterval(width, height, k);
  // At most one seed per pixel column / row: k beyond the pixel count would only stack seeds.
  return { nx: Math.min(width, Math.max(1, Math.round(width / step))), ny: Math.min(height, Math.max(1, Math.round(height / step))) };
}

/** Seed centres (L, a, b, x, y per centre) on the `seedGrid`. */
export function gridSeeds(lab: Float32Array, width: number, height: number, k: number): Float64Array {
  const { nx, ny } = seedGrid(width, height, k);
  const centres = new Float64Array(nx * ny * CENTRE_STRIDE);
  let o = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const [x, y] = lowestGradient(
        lab,
        width,
        height,
        Math.floor(((i + 0.5) * width) / nx),
        Math.floor(((j + 0.5) * height) / ny),
      );
      const q = (y * width + x) * 3;
      centres[o++] = lab[q];
      centres[o++] = lab[q + 1];
      centres[o++] = lab[q + 2];
      centres[o++] = x;
      centres[o++] = y;
    }
  }
  return centres;
}
