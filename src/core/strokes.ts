// Brush strokes → a scribble raster (class index per pixel, IGNORE_LABEL where nothing is painted), which
// scribbles.ts turns into superpixel labels (thesis §3.3.2: one label per superpixel). Strokes are kept as
// vectors so they survive a change of superpixels (k, m) and undo is just dropping one.
import { IGNORE_LABEL } from './types.ts';

/** The eraser's "class": it paints the ignore value back. */
export const ERASE = IGNORE_LABEL;

export interface Stroke {
  /** Class index, or ERASE. */
  classIndex: number;
  /** Brush radius in working-copy pixels; 0 paints single pixels. */
  radius: number;
  /** x0, y0, x1, y1, … in working-copy pixels. */
  points: number[];
}

function stampDisc(out: Uint8Array, width: number, height: number, cx: number, cy: number, r: number, value: number): void {
  const x0 = Math.max(0, Math.ceil(cx - r));
  const x1 = Math.min(width - 1, Math.floor(cx + r));
  const y0 = Math.max(0, Math.ceil(cy - r));
  const y1 = Math.min(height - 1, Math.floor(cy + r));
  const r2 = r * r;
  for (let y = y0; y <= y1; y++) {
    const dy = y - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx;
      if (dx * dx + dy * dy <= r2) out[y * width + x] = value;
    }
  }
}

/** Paints one stroke into `out` (width × height): every pixel centre within `radius` of the polyline. */
export function paintStroke(out: Uint8Array, width: number, height: number, stroke: Stroke): void {
  const { points, classIndex } = stroke;
  // Half a pixel at least, so a click always covers the pixel under it.
  const r = Math.max(0.5, stroke.radius);
  const step = Math.max(0.25, r / 2);
  for (let i = 0; i + 1 < points.length; i += 2) {
    const ax = points[i];
    const ay = points[i + 1];
    const bx = i + 3 < points.length ? points[i + 2] : ax;
    const by = i + 3 < points.length ? points[i + 3] : ay;
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / step));
    for (let k = 0; k <= n; k++) stampDisc(out, width, height, ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n, r, classIndex);
  }
}

/** The same strokes, point for point. */
export function sameStrokes(a: readonly Stroke[], b: readonly Stroke[]): boolean {
  return a.length === b.length && a.every((s, i) => s.classIndex === b[i].classIndex && s.radius === b[i].radius && s.points.length === b[i].points.length && s.points.every((v, k) => v === b[i].points[k]));
}

/** All strokes in order (later ones paint over earlier ones) as a class-per-pixel raster. */
export function rasterizeStrokes(strokes: readonly Stroke[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height).fill(IGNORE_LABEL);
  for (const s of strokes) paintStroke(out, width, height, s);
  return out;
}

/** Strokes read back from storage or a project file, checked; throws with what is wrong. */
export function validateStrokes(v: unknown, classes = IGNORE_LABEL): Stroke[] {
  if (!Array.isArray(v)) throw new Error('strokes are not a list');
  return v.map((s, i) => {
    const { classIndex, radius, points } = (s ?? {}) as Partial<Stroke>;
    const ok =
      Number.isInteger(classIndex) &&
      (classIndex === ERASE || (classIndex! >= 0 && classIndex! < classes)) &&
      typeof radius === 'number' && radius >= 0 && radius <= 1000 &&
      Array.isArray(points) && points.length >= 2 && points.length % 2 === 0 && points.every((p) => typeof p === 'number' && Number.isFinite(p));
    if (!ok) throw new Error(`stroke ${i + 1} is malformed`);
    return { classIndex: classIndex!, radius: radius!, points: points! };
  });
}
